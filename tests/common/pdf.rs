//! Reads a PDF back for the tests with lopdf, so that `cargo test` needs no
//! system package (it used poppler's `pdftotext`, `pdfinfo` and `pdffonts`,
//! which a fresh machine lacks).
//!
//! Text is taken from the content streams as Typst writes them: each run of
//! glyphs (`BT … TJ … ET`) is placed by the `cm` and `Tm` before it and
//! decoded through its font's `/ToUnicode` map. Runs are joined in the
//! order they are drawn, with a line break where a run starts on another
//! line; [`Pdf::lines`] sorts a page's runs into lines top to bottom.

use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object};

/// How far apart, in points, two runs' baselines may be and still be one
/// line (a superscript sits 3.7 pt above its line; lines are 9 pt or more
/// apart).
const SAME_LINE: f32 = 4.5;

/// An opened PDF.
pub struct Pdf {
    doc: Document,
}

/// A run of text on a page: where its baseline starts, and its text.
struct Run {
    x: f32,
    y: f32,
    text: String,
}

type Matrix = [f32; 6];

fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn matrix_of(operands: &[Object]) -> Option<Matrix> {
    let v: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
    (v.len() == 6).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
}

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

impl Pdf {
    /// Opens `path`; fails the test if it is not a PDF.
    pub fn open(path: &Path) -> Pdf {
        let doc = Document::load(path)
            .unwrap_or_else(|e| panic!("{} is not a readable PDF: {e}", path.display()));
        Pdf { doc }
    }

    /// The number of pages.
    pub fn pages(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The whole document's text, in drawing order.
    pub fn text(&self) -> String {
        (1..=self.pages()).map(|n| self.page_text(n)).collect()
    }

    /// Page `n`'s text (1-based), in drawing order.
    pub fn page_text(&self, n: usize) -> String {
        let mut out = String::new();
        let mut last_y: Option<f32> = None;
        for run in self.runs(n) {
            if last_y.is_some_and(|y| (y - run.y).abs() > SAME_LINE) {
                out.push('\n');
            }
            last_y = Some(run.y);
            out.push_str(&run.text);
        }
        out.push('\n');
        out
    }

    /// Page `n`'s lines, top to bottom, each left to right.
    pub fn lines(&self, n: usize) -> Vec<String> {
        let mut runs = self.runs(n);
        runs.sort_by(|a, b| b.y.total_cmp(&a.y));
        let mut lines: Vec<(f32, Vec<Run>)> = Vec::new();
        for run in runs {
            match lines.last_mut() {
                Some((y, line)) if (*y - run.y).abs() <= SAME_LINE => line.push(run),
                _ => lines.push((run.y, vec![run])),
            }
        }
        lines
            .into_iter()
            .map(|(_, mut line)| {
                line.sort_by(|a, b| a.x.total_cmp(&b.x));
                line.into_iter().map(|r| r.text).collect()
            })
            .collect()
    }

    /// The runs of page `n` in drawing order.
    fn runs(&self, n: usize) -> Vec<Run> {
        let pages = self.doc.get_pages();
        let id = pages[&(n as u32)];
        let fonts = self.doc.get_page_fonts(id).expect("the page's fonts");
        let encodings: Vec<(Vec<u8>, Encoding)> = fonts
            .into_iter()
            .filter_map(|(name, font)| Some((name, font.get_font_encoding(&self.doc).ok()?)))
            .collect();
        let content = Content::decode(&self.doc.get_page_content(id)).expect("page content");
        let mut ctm = IDENTITY;
        let mut saved = Vec::new();
        let mut tm = IDENTITY;
        let mut font: Option<usize> = None;
        let mut runs = Vec::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "q" => saved.push(ctm),
                "Q" => ctm = saved.pop().unwrap_or(IDENTITY),
                "cm" => ctm = matrix_of(&op.operands).map_or(ctm, |m| multiply(&m, &ctm)),
                "BT" => tm = IDENTITY,
                "Tm" => tm = matrix_of(&op.operands).unwrap_or(IDENTITY),
                "Tf" => {
                    let name = op.operands.first().and_then(|o| o.as_name().ok());
                    font = name.and_then(|n| encodings.iter().position(|(f, _)| f == n));
                }
                "Tj" | "TJ" => {
                    let Some(f) = font else { continue };
                    let at = multiply(&tm, &ctm);
                    let text = decode(&encodings[f].1, &op.operands);
                    runs.push(Run {
                        x: at[4],
                        y: at[5],
                        text,
                    });
                }
                _ => {}
            }
        }
        runs
    }

    /// The document information's `key` (`Title`, `CreationDate`).
    pub fn info(&self, key: &str) -> Option<String> {
        let info = self.doc.trailer.get(b"Info").ok()?;
        let info = self.deref(info).as_dict().ok()?.clone();
        let value = self.deref(info.get(key.as_bytes()).ok()?);
        lopdf::decode_text_string(&value).ok()
    }

    /// Whether the catalog marks the document as tagged.
    pub fn tagged(&self) -> bool {
        let catalog = self.doc.catalog().expect("a catalog");
        catalog
            .get(b"MarkInfo")
            .ok()
            .map(|m| self.deref(m))
            .and_then(|m| m.as_dict().ok()?.get(b"Marked").ok()?.as_bool().ok())
            .unwrap_or(false)
    }

    /// The width and height of page 1, in points.
    pub fn page_size(&self) -> (f32, f32) {
        let id = self.doc.get_pages()[&1];
        let page = self.doc.get_dictionary(id).expect("page 1");
        let media = self.deref(page.get(b"MediaBox").expect("a MediaBox"));
        let v: Vec<f32> = media
            .as_array()
            .expect("an array")
            .iter()
            .map(|o| self.deref(o).as_float().expect("a number"))
            .collect();
        (v[2] - v[0], v[3] - v[1])
    }

    /// The base names of the fonts, each with whether its program is
    /// embedded.
    pub fn fonts(&self) -> Vec<(String, bool)> {
        let mut fonts = Vec::new();
        for object in self.doc.objects.values() {
            let Ok(d) = object.as_dict() else { continue };
            if d.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"FontDescriptor") {
                continue;
            }
            fonts.push((name_of(d), embedded(d)));
        }
        fonts
    }

    fn deref(&self, o: &Object) -> Object {
        match o {
            Object::Reference(r) => self.doc.get_object(*r).cloned().unwrap_or(Object::Null),
            o => o.clone(),
        }
    }
}

fn name_of(descriptor: &Dictionary) -> String {
    descriptor
        .get(b"FontName")
        .and_then(|n| n.as_name())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

fn embedded(descriptor: &Dictionary) -> bool {
    [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
        .iter()
        .any(|k| descriptor.get(k).is_ok())
}

/// The text of a `Tj` or `TJ`'s strings.
fn decode(encoding: &Encoding, operands: &[Object]) -> String {
    let mut text = String::new();
    let mut add = |o: &Object| {
        if let Object::String(bytes, _) = o {
            text.push_str(&Document::decode_text(encoding, bytes).unwrap_or_default());
        }
    };
    for o in operands {
        match o {
            Object::Array(items) => items.iter().for_each(&mut add),
            o => add(o),
        }
    }
    text
}
