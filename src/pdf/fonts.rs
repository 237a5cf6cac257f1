//! The fonts of the PDF edition. Latin text (Azerbaijani's ə, ğ, ı, ş, ç, ö,
//! ü included) is set in fonts shipped inside the binary, so that every
//! machine writes the same PDF: Libertinus Serif for the text, DejaVu Sans
//! for headings, tables and charts (the charts' labels are placed with its
//! widths), DejaVu Sans Mono for code, and subsets of Noto Serif CJK SC and
//! Noto Sans CJK SC for Chinese (the 3,755 most used hanzi and every one the
//! example writes; `fonts/subset-cjk.py` makes them). A character none of
//! them has is taken from a font of the system; one that no font has is
//! reported, and prints as the replacement character `�`.

use crate::script::is_cjk;
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

/// Fonts shipped in the binary (licences beside them in `src/pdf/fonts/`).
const SHIPPED: &[&[u8]] = &[
    include_bytes!("fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("fonts/DejaVuSans.ttf"),
    include_bytes!("fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("fonts/DejaVuSansMono.ttf"),
    include_bytes!("fonts/NotoSerifCJKsc-Regular.otf"),
    include_bytes!("fonts/NotoSerifCJKsc-Bold.otf"),
    include_bytes!("fonts/NotoSansCJKsc-Regular.otf"),
    include_bytes!("fonts/NotoSansCJKsc-Bold.otf"),
];

/// The text face.
pub const SERIF: &str = "Libertinus Serif";
/// Headings, tables, captions and charts.
pub const SANS: &str = "DejaVu Sans";
/// Code.
pub const MONO: &str = "DejaVu Sans Mono";

/// The shipped CJK families: (serif, sans).
const CJK: (&str, &str) = ("Noto Serif CJK SC", "Noto Sans CJK SC");

/// The fonts one PDF is typeset with.
pub struct Fonts {
    store: FontStore,
    /// The CJK (serif, sans) families, set after the Latin ones.
    pub cjk: Option<(String, String)>,
    /// Characters of the text that no shipped or system font has.
    pub unfound: Vec<char>,
}

impl Fonts {
    /// The font book.
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// A font by its index in the book.
    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }
}

/// Whether text in `language` needs a CJK font.
pub fn needs_cjk(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    matches!(primary, "zh" | "ja" | "ko")
}

/// The shipped fonts' faces, parsed once per process.
fn shipped() -> &'static [(Font, FontInfo)] {
    static SHIPPED_FONTS: OnceLock<Vec<(Font, FontInfo)>> = OnceLock::new();
    SHIPPED_FONTS.get_or_init(|| {
        SHIPPED
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .map(|font| {
                let info = font.info().clone();
                (font, info)
            })
            .collect()
    })
}

/// The system's fonts, scanned once per process, in path order (so that
/// the same machine always picks the same ones).
fn system() -> &'static [(FontPath, FontInfo)] {
    static SYSTEM_FONTS: OnceLock<Vec<(FontPath, FontInfo)>> = OnceLock::new();
    SYSTEM_FONTS.get_or_init(|| {
        let mut all: Vec<(FontPath, FontInfo)> = typst_kit::fonts::system().collect();
        all.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
        all
    })
}

/// The fonts for a document in `language` whose text uses `chars`: the
/// shipped ones (the CJK pair among the text's families when the language
/// or the text needs it), and any system family that has a character no
/// shipped font has. Characters no font has are listed in `unfound`.
pub fn fonts_for(language: &str, chars: &std::collections::BTreeSet<char>) -> Fonts {
    let missing: Vec<char> = chars
        .iter()
        .copied()
        .filter(|&c| !c.is_whitespace() && !c.is_control())
        .filter(|&c| !shipped().iter().any(|(_, i)| i.coverage.contains(c as u32)))
        .collect();
    let mut store = FontStore::new();
    for (font, info) in shipped() {
        store.push((font.clone(), info.clone()));
    }
    let cjk = (needs_cjk(language) || chars.iter().any(|&c| is_cjk(c)))
        .then(|| (CJK.0.to_string(), CJK.1.to_string()));
    if missing.is_empty() {
        return Fonts {
            store,
            cjk,
            unfound: Vec::new(),
        };
    }
    let system = system();
    let mut families: Vec<String> = Vec::new();
    let mut unfound = Vec::new();
    for &c in &missing {
        let in_chosen = system.iter().any(|(_, i)| {
            families.iter().any(|f| i.family.eq_ignore_ascii_case(f))
                && i.coverage.contains(c as u32)
        });
        if in_chosen {
            continue;
        }
        match system.iter().find(|(_, i)| i.coverage.contains(c as u32)) {
            Some((_, i)) => families.push(i.family.clone()),
            None => unfound.push(c),
        }
    }
    for (path, info) in system {
        if families.iter().any(|f| info.family.eq_ignore_ascii_case(f)) {
            let path = FontPath {
                path: path.path.clone(),
                index: path.index,
            };
            store.push((path, info.clone()));
        }
    }
    Fonts {
        store,
        cjk,
        unfound,
    }
}

/// The families Typst is told to use for text and for everything else,
/// CJK fallbacks last.
pub fn families(fonts: &Fonts) -> (Vec<String>, Vec<String>) {
    let mut serif = vec![SERIF.to_string()];
    let mut sans = vec![SANS.to_string()];
    if let Some((s, ss)) = &fonts.cjk {
        serif.push(s.clone());
        sans.push(ss.clone());
    }
    (serif, sans)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every letter of Azerbaijani and every sign figures use is in the
    /// text font or, through Typst's fallback, in DejaVu Sans (₼).
    #[test]
    fn the_shipped_fonts_cover_azerbaijani_and_the_figures_signs() {
        let fonts = fonts_for("en", &Default::default());
        let font_of = |family: &str| {
            let index = fonts
                .book()
                .select_family(&family.to_lowercase())
                .next()
                .unwrap_or_else(|| panic!("{family} is shipped"));
            fonts.font(index).expect("loads")
        };
        let (serif, sans) = (font_of(SERIF), font_of(SANS));
        for c in "əğışçöüƏĞİŞÇÖÜ".chars() {
            assert!(
                serif.info().coverage.contains(c as u32),
                "{SERIF} lacks {c}"
            );
        }
        for c in "əğışçöüƏĞİŞÇÖÜ–−≈…’“”·×₂₼€¥£%".chars() {
            assert!(sans.info().coverage.contains(c as u32), "{SANS} lacks {c}");
        }
    }

    /// The bug: on a machine without `fonts-noto-cjk`, the Chinese edition
    /// could not be built at all.
    #[test]
    fn chinese_needs_no_system_font() {
        let text: std::collections::BTreeSet<char> =
            "数说阿塞拜疆与中国：贸易、中间走廊和可再生能源。“一带一路”倡议"
                .chars()
                .collect();
        let fonts = fonts_for("zh", &text);
        assert!(fonts.unfound.is_empty(), "{:?}", fonts.unfound);
        assert_eq!(
            fonts.cjk,
            Some((
                "Noto Serif CJK SC".to_string(),
                "Noto Sans CJK SC".to_string()
            ))
        );
        for family in ["noto serif cjk sc", "noto sans cjk sc"] {
            let faces: Vec<_> = fonts.book().select_family(family).collect();
            assert!(faces.len() >= 2, "{family}: regular and bold are shipped");
        }
    }

    #[test]
    fn a_character_no_font_has_is_listed_not_refused() {
        let text: std::collections::BTreeSet<char> = "a\u{10C80}".chars().collect();
        assert_eq!(fonts_for("en", &text).unfound, vec!['\u{10C80}']);
    }

    #[test]
    fn only_chinese_japanese_and_korean_need_a_cjk_font() {
        assert!(needs_cjk("zh"));
        assert!(needs_cjk("zh-Hans"));
        assert!(!needs_cjk("az"));
        assert!(!needs_cjk("en"));
    }
}
