//! Measuring chart text, so that labels can be placed without colliding.
//!
//! Labels are placed at build time, without a browser, so their widths come
//! from a font's metrics: DejaVu Sans (regular and bold), the widest of the
//! common sans-serif faces and the one Debian's Chromium falls back to. The
//! chart font stack (`--font-chart`) puts it first where it is installed;
//! other systems use their UI font, which is narrower, so a box measured here
//! is never smaller than the text drawn. East Asian wide characters count a
//! full em, anything else unknown 0.7 em.

use crate::script::is_cjk;

/// Advance widths of DejaVu Sans, in thousandths of an em, for the
/// printable ASCII characters (space to `~`).
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// The same for DejaVu Sans Bold.
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// Regular advance widths of the other characters charts often show.
const OTHER: [(char, u16); 47] = [
    ('\u{00a0}', 318),
    ('\u{00a3}', 636),
    ('\u{00a5}', 636),
    ('\u{00b0}', 500),
    ('\u{00b1}', 838),
    ('\u{00b7}', 318),
    ('\u{00c1}', 684),
    ('\u{00c4}', 684),
    ('\u{00c7}', 698),
    ('\u{00c8}', 632),
    ('\u{00c9}', 632),
    ('\u{00cd}', 295),
    ('\u{00d1}', 748),
    ('\u{00d3}', 787),
    ('\u{00d6}', 787),
    ('\u{00d7}', 838),
    ('\u{00da}', 732),
    ('\u{00dc}', 732),
    ('\u{00e1}', 613),
    ('\u{00e4}', 613),
    ('\u{00e7}', 550),
    ('\u{00e8}', 615),
    ('\u{00e9}', 615),
    ('\u{00ed}', 278),
    ('\u{00f1}', 634),
    ('\u{00f3}', 612),
    ('\u{00f6}', 612),
    ('\u{00fa}', 634),
    ('\u{00fc}', 634),
    ('\u{011e}', 775),
    ('\u{011f}', 635),
    ('\u{0130}', 295),
    ('\u{0131}', 278),
    ('\u{015e}', 635),
    ('\u{015f}', 521),
    ('\u{018f}', 787),
    ('\u{0259}', 615),
    ('\u{2013}', 500),
    ('\u{2014}', 1000),
    ('\u{2018}', 318),
    ('\u{2019}', 318),
    ('\u{201c}', 518),
    ('\u{201d}', 518),
    ('\u{2026}', 1000),
    ('\u{20ac}', 636),
    ('\u{2212}', 838),
    ('\u{2248}', 838),
];

/// The width of `s` at `size` px, in the regular or bold weight.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    let thousandths: u32 = s
        .chars()
        .map(|c| {
            let code = c as u32;
            if (32..127).contains(&code) {
                u32::from(table[(code - 32) as usize])
            } else if let Some(&(_, w)) = OTHER.iter().find(|(o, _)| *o == c) {
                u32::from(w) + if bold { 60 } else { 0 }
            } else if is_cjk(c) {
                1000
            } else {
                700
            }
        })
        .sum();
    f64::from(thousandths) * size / 1000.0
}

/// Breaks `s` into lines of at most `max` px, at spaces; a word wider than
/// `max` is cut with an ellipsis. At most `max_lines` lines: the last one
/// ends with an ellipsis when text is left over (the full label is in the
/// table and the chart's description).
pub fn wrap(s: &str, max: f64, size: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, false) > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let overflow = lines.len() > max_lines.max(1);
    lines.truncate(max_lines.max(1));
    for (i, l) in lines.iter_mut().enumerate() {
        let last = i + 1 == max_lines.max(1);
        if width(l, size, false) > max || (last && overflow) {
            *l = shorten(l, max, size, last && overflow);
        }
    }
    lines
}

/// `s` cut to fit `max` px with an ellipsis (always one, with `force`).
pub fn shorten(s: &str, max: f64, size: f64, force: bool) -> String {
    if !force && width(s, size, false) <= max {
        return s.to_string();
    }
    let mut out: String = s.to_string();
    loop {
        let candidate = format!("{}…", out.trim_end());
        if width(&candidate, size, false) <= max || out.is_empty() {
            return if out.is_empty() {
                "…".into()
            } else {
                candidate
            };
        }
        out.pop();
    }
}

/// The width of the label column of a chart with rows (horizontal bars,
/// dumbbells): the widest category label, at most `max_share` of the width,
/// and narrower still (down to a fifth of the width) so that the plot keeps
/// 30 % of the width after `reserved` px of room for value labels.
pub fn label_column(categories: &[String], width: f64, max_share: f64, reserved: f64) -> f64 {
    let widest = categories
        .iter()
        .map(|c| self::width(c, 13.0, false))
        .fold(0.0, f64::max);
    (widest + 4.0)
        .min(width * max_share)
        .min((width - reserved - width * 0.3).max(width * 0.2))
}

/// A coordinate as written in the SVG: one decimal at most.
pub fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").map(str::to_string).unwrap_or(s);
    if s == "-0" { "0".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        // DejaVu Sans: digits 0.636 em, `m` 0.974 em, a space 0.318 em.
        assert!((width("0", 10.0, false) - 6.36).abs() < 1e-9);
        assert!((width("m m", 10.0, false) - (9.74 * 2.0 + 3.18)).abs() < 1e-9);
        assert!(width("0", 10.0, true) > width("0", 10.0, false));
        assert_eq!(width("中文", 10.0, false), 20.0);
    }

    #[test]
    fn labels_wrap_and_shorten_to_a_width() {
        let lines = wrap("Within the territory of Kazakhstan", 120.0, 13.0, 3);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().all(|l| width(l, 13.0, false) <= 120.0),
            "{lines:?}"
        );
        let one = wrap("Supercalifragilisticexpialidocious words", 60.0, 13.0, 1);
        assert_eq!(one.len(), 1);
        assert!(
            one[0].ends_with('…') && width(&one[0], 13.0, false) <= 60.0,
            "{one:?}"
        );
    }
}
