//! A drawn chart as data: marks and labels with their boxes, before they
//! become SVG.
//!
//! Every kind of chart draws into a [`Scene`]. Labels know their size, so a
//! drawing can ask whether a label fits before it adds it ([`Scene::fits`]),
//! and the tests can check the geometry of any chart: every mark and label
//! inside the view box, no two labels overlapping, no label over a bar.

use std::fmt::Write;

use super::text::{self, n};
use crate::figures::html::escape;

/// The body text size of charts, in px; tick labels are [`SMALL`].
pub const FONT: f64 = 13.0;
/// The size of tick labels and axis titles.
pub const SMALL: f64 = 12.0;
/// Line height, in multiples of the text size.
pub const LEADING: f64 = 1.2;

/// An axis-aligned box: `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Bounds {
    /// Whether the two boxes share more than an edge (with `gap` px to spare).
    pub fn overlaps(&self, o: &Bounds, gap: f64) -> bool {
        self.x0 < o.x1 + gap && o.x0 < self.x1 + gap && self.y0 < o.y1 + gap && o.y0 < self.y1 + gap
    }

    /// Whether the box lies within `0..w` × `0..h`.
    pub fn inside(&self, w: f64, h: f64) -> bool {
        self.x0 >= -0.01 && self.y0 >= -0.01 && self.x1 <= w + 0.01 && self.y1 <= h + 0.01
    }
}

/// Where a label's x is: its start, middle or end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at x.
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A label of one or more lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Anchor point x.
    pub x: f64,
    /// Baseline of the first line.
    pub y: f64,
    /// What x means.
    pub anchor: Anchor,
    /// CSS class (`c-value`, `c-cat`, `c-tick` …).
    pub class: &'static str,
    /// The lines.
    pub lines: Vec<String>,
    /// Text size in px.
    pub size: f64,
    /// Drawn bold (value labels), measured with the bold metrics.
    pub bold: bool,
}

impl Label {
    /// A one-line label.
    pub fn new(x: f64, y: f64, anchor: Anchor, class: &'static str, text: &str) -> Label {
        let (size, bold) = style(class);
        Label {
            x,
            y,
            anchor,
            class,
            lines: vec![text.to_string()],
            size,
            bold,
        }
    }

    /// A label of several lines, the first one's baseline at `y`.
    pub fn lines(x: f64, y: f64, anchor: Anchor, class: &'static str, lines: Vec<String>) -> Label {
        let (size, bold) = style(class);
        Label {
            x,
            y,
            anchor,
            class,
            lines,
            size,
            bold,
        }
    }

    /// The widest line's width.
    pub fn width(&self) -> f64 {
        self.lines
            .iter()
            .map(|l| text::width(l, self.size, self.bold))
            .fold(0.0, f64::max)
    }

    /// The box the label covers: ascent above the first baseline to the
    /// descent below the last.
    pub fn bounds(&self) -> Bounds {
        let w = self.width();
        let x0 = match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - w / 2.0,
            Anchor::End => self.x - w,
        };
        let extra = (self.lines.len().max(1) - 1) as f64 * self.size * LEADING;
        Bounds {
            x0,
            y0: self.y - self.size * 0.8,
            x1: x0 + w,
            y1: self.y + extra + self.size * 0.25,
        }
    }
}

/// Text size and weight of a label class, as the stylesheet sets them.
fn style(class: &str) -> (f64, bool) {
    match class {
        "c-tick" | "c-axis-title" => (SMALL, false),
        "c-value" | "c-inside" => (FONT, true),
        "c-heading" => (15.0, true),
        "c-foot" => (SMALL, false),
        _ => (FONT, false),
    }
}

/// One thing drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A rectangle (bars, bands, legend keys).
    Rect {
        /// CSS classes.
        class: String,
        /// The rectangle.
        at: Bounds,
        /// Corner radius.
        rx: f64,
    },
    /// A line (gridlines, axes, links).
    Line {
        /// CSS classes.
        class: &'static str,
        /// From.
        a: (f64, f64),
        /// To.
        b: (f64, f64),
    },
    /// A dot.
    Circle {
        /// CSS classes.
        class: String,
        /// Centre.
        c: (f64, f64),
        /// Radius.
        r: f64,
    },
    /// A line through points.
    Polyline {
        /// CSS classes.
        class: &'static str,
        /// The points.
        points: Vec<(f64, f64)>,
    },
    /// Text.
    Text(Label),
}

impl Item {
    /// The box of a mark (not of gridlines, axes or text).
    pub fn mark_bounds(&self) -> Option<Bounds> {
        match self {
            Item::Rect { at, .. } => Some(*at),
            Item::Circle { c, r, .. } => Some(Bounds {
                x0: c.0 - r,
                y0: c.1 - r,
                x1: c.0 + r,
                y1: c.1 + r,
            }),
            _ => None,
        }
    }

    /// The box of anything drawn, for the view-box check.
    pub fn bounds(&self) -> Bounds {
        match self {
            Item::Text(l) => l.bounds(),
            Item::Line { a, b, .. } => Bounds {
                x0: a.0.min(b.0),
                y0: a.1.min(b.1),
                x1: a.0.max(b.0),
                y1: a.1.max(b.1),
            },
            Item::Polyline { points, .. } => points.iter().fold(
                Bounds {
                    x0: f64::INFINITY,
                    y0: f64::INFINITY,
                    x1: f64::NEG_INFINITY,
                    y1: f64::NEG_INFINITY,
                },
                |b, p| Bounds {
                    x0: b.x0.min(p.0),
                    y0: b.y0.min(p.1),
                    x1: b.x1.max(p.0),
                    y1: b.y1.max(p.1),
                },
            ),
            other => other.mark_bounds().unwrap_or(Bounds {
                x0: 0.0,
                y0: 0.0,
                x1: 0.0,
                y1: 0.0,
            }),
        }
    }
}

/// A chart drawn, ready to write as SVG.
#[derive(Debug, Clone, Default)]
pub struct Scene {
    /// View box width.
    pub width: f64,
    /// View box height.
    pub height: f64,
    /// What is drawn, in painting order.
    pub items: Vec<Item>,
}

impl Scene {
    /// An empty scene `width` px wide.
    pub fn new(width: f64) -> Scene {
        Scene {
            width,
            height: 0.0,
            items: Vec::new(),
        }
    }

    /// Adds a rectangle from two corners in any order.
    pub fn rect(&mut self, class: impl Into<String>, a: (f64, f64), b: (f64, f64), rx: f64) {
        self.items.push(Item::Rect {
            class: class.into(),
            at: Bounds {
                x0: a.0.min(b.0),
                y0: a.1.min(b.1),
                x1: a.0.max(b.0),
                y1: a.1.max(b.1),
            },
            rx,
        });
    }

    /// Adds a line.
    pub fn line(&mut self, class: &'static str, a: (f64, f64), b: (f64, f64)) {
        self.items.push(Item::Line { class, a, b });
    }

    /// Adds a dot.
    pub fn circle(&mut self, class: impl Into<String>, c: (f64, f64), r: f64) {
        self.items.push(Item::Circle {
            class: class.into(),
            c,
            r,
        });
    }

    /// Adds a label, whatever it overlaps.
    pub fn label(&mut self, label: Label) {
        self.items.push(Item::Text(label));
    }

    /// The labels drawn so far.
    pub fn labels(&self) -> impl Iterator<Item = &Label> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(l) => Some(l),
            _ => None,
        })
    }

    /// Whether `label` lies inside `0..width` and clear of every label and
    /// mark drawn so far (with 2 px to spare).
    pub fn fits(&self, label: &Label) -> bool {
        let b = label.bounds();
        b.x0 >= 0.0
            && b.x1 <= self.width
            && b.y0 >= 0.0
            && self.labels().all(|o| !o.bounds().overlaps(&b, 2.0))
            && self
                .items
                .iter()
                .filter_map(Item::mark_bounds)
                .all(|m| !m.overlaps(&b, 1.0))
    }

    /// Adds the first of `candidates` that fits; none if none does (the
    /// value is still in the table and the chart's description).
    pub fn place(&mut self, candidates: impl IntoIterator<Item = Label>) -> bool {
        for c in candidates {
            if self.fits(&c) {
                self.label(c);
                return true;
            }
        }
        false
    }

    /// The bottom of everything drawn.
    pub fn bottom(&self) -> f64 {
        self.items
            .iter()
            .map(|i| i.bounds().y1)
            .filter(|y| y.is_finite())
            .fold(0.0, f64::max)
    }

    /// The drawing as SVG elements.
    pub fn body(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            write_item(&mut out, item);
        }
        out
    }
}

fn write_item(out: &mut String, item: &Item) {
    let _ = match item {
        Item::Rect { class, at, rx } => write!(
            out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}/>",
            n(at.x0),
            n(at.y0),
            n((at.x1 - at.x0).max(0.0)),
            n((at.y1 - at.y0).max(0.0)),
            if *rx > 0.0 {
                format!(" rx=\"{}\"", n(*rx))
            } else {
                String::new()
            }
        ),
        Item::Line { class, a, b } => write!(
            out,
            "<line class=\"{class}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>",
            n(a.0),
            n(b.0),
            n(a.1),
            n(b.1)
        ),
        Item::Circle { class, c, r } => write!(
            out,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            n(c.0),
            n(c.1),
            n(*r)
        ),
        Item::Polyline { class, points } => {
            let pts: Vec<String> = points
                .iter()
                .map(|p| format!("{},{}", n(p.0), n(p.1)))
                .collect();
            write!(
                out,
                "<polyline class=\"{class}\" points=\"{}\"/>",
                pts.join(" ")
            )
        }
        Item::Text(l) => write_label(out, l),
    };
}

fn write_label(out: &mut String, l: &Label) -> std::fmt::Result {
    write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" class=\"{}\">",
        n(l.x),
        n(l.y),
        l.anchor.name(),
        l.class
    )?;
    if l.lines.len() == 1 {
        out.push_str(&escape(&l.lines[0]));
    } else {
        for (i, line) in l.lines.iter().enumerate() {
            let dy = if i == 0 {
                "0".to_string()
            } else {
                n(l.size * LEADING)
            };
            write!(
                out,
                "<tspan x=\"{}\" dy=\"{dy}\">{}</tspan>",
                n(l.x),
                escape(line)
            )?;
        }
    }
    out.push_str("</text>");
    Ok(())
}
