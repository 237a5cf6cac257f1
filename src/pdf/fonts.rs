//! The fonts of the PDF edition. Latin text (Azerbaijani's ə, ğ, ı, ş, ç, ö,
//! ü included) is set in fonts shipped inside the binary, so that every
//! machine writes the same PDF: Libertinus Serif for the text, DejaVu Sans
//! for headings, tables and charts (the charts' labels are placed with its
//! widths), DejaVu Sans Mono for code. Chinese, Japanese and Korean take a
//! CJK font from the system (Debian's `fonts-noto-cjk`); without one, the
//! build stops with an error that names the font to install.

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
];

/// The text face.
pub const SERIF: &str = "Libertinus Serif";
/// Headings, tables, captions and charts.
pub const SANS: &str = "DejaVu Sans";
/// Code.
pub const MONO: &str = "DejaVu Sans Mono";

/// CJK families looked for on the system, best first: (serif, sans).
const CJK: &[(&str, &str)] = &[
    ("Noto Serif CJK SC", "Noto Sans CJK SC"),
    ("Source Han Serif SC", "Source Han Sans SC"),
    ("Noto Sans CJK SC", "Noto Sans CJK SC"),
    ("Source Han Sans SC", "Source Han Sans SC"),
    ("WenQuanYi Micro Hei", "WenQuanYi Micro Hei"),
];

/// The fonts one PDF is typeset with.
pub struct Fonts {
    store: FontStore,
    /// The CJK (serif, sans) families chosen, set after the Latin ones.
    pub cjk: Option<(String, String)>,
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

/// Why no fonts could be found for a document.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    /// A CJK font is needed (the language or the text) and there is none.
    Cjk,
    /// No shipped or system font has these characters.
    Glyphs(Vec<char>),
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
/// shipped ones, a CJK family pair when the language or the text needs
/// one, and any system family that has a character no other font has.
pub fn fonts_for(
    language: &str,
    chars: &std::collections::BTreeSet<char>,
) -> Result<Fonts, Missing> {
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
    if missing.is_empty() && !needs_cjk(language) {
        return Ok(Fonts { store, cjk: None });
    }
    let system = system();
    let has = |family: &str| {
        system
            .iter()
            .any(|(_, i)| i.family.eq_ignore_ascii_case(family))
    };
    let mut families: Vec<String> = Vec::new();
    let mut cjk = None;
    if needs_cjk(language) || missing.iter().any(|&c| is_cjk(c)) {
        let (serif, sans) = CJK
            .iter()
            .find(|(serif, sans)| has(serif) && has(sans))
            .ok_or(Missing::Cjk)?;
        families.push(serif.to_string());
        families.push(sans.to_string());
        cjk = Some((serif.to_string(), sans.to_string()));
    }
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
    if !unfound.is_empty() {
        return Err(Missing::Glyphs(unfound));
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
    Ok(Fonts { store, cjk })
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

/// The CJK families briefing looks for, for the error that names them.
pub fn wanted_cjk() -> &'static str {
    "Noto Serif CJK SC and Noto Sans CJK SC (Debian and Ubuntu: `apt-get install fonts-noto-cjk`)"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every letter of Azerbaijani and every sign figures use is in the
    /// text font or, through Typst's fallback, in DejaVu Sans (₼).
    #[test]
    fn the_shipped_fonts_cover_azerbaijani_and_the_figures_signs() {
        let fonts = fonts_for("en", &Default::default()).expect("shipped fonts");
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

    #[test]
    fn only_chinese_japanese_and_korean_need_a_cjk_font() {
        assert!(needs_cjk("zh"));
        assert!(needs_cjk("zh-Hans"));
        assert!(!needs_cjk("az"));
        assert!(!needs_cjk("en"));
    }
}
