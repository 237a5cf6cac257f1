//! Chinese, Japanese and Korean text: the one test of which characters are
//! set a full em wide, may have a line break on either side, touch numbers
//! without a space, and need a CJK font. The charts' text measure, the
//! typed-number check and the PDF edition all ask it.

/// East Asian wide and fullwidth characters: CJK ideographs and
/// punctuation, kana, hangul, Yi, fullwidth forms.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_kana_hangul_and_fullwidth_punctuation_are_cjk_and_latin_is_not() {
        for c in ['中', '亿', 'の', 'カ', '한', '，', '。', '％', '𠀀'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', 'ə', 'ğ', '1', '%', '–', ' ', 'й'] {
            assert!(!is_cjk(c), "{c}");
        }
    }
}
