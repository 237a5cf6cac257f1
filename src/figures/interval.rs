//! Interval arithmetic for consistency checks.
//!
//! A written number stands for every value that rounds to it: "2" may be
//! anything from 1.5 to 2.5, "1.1" from 1.05 to 1.15. A relation between
//! figures is computed on these intervals, so a stated value is reported
//! only when no values its inputs could stand for give it.

/// A closed interval of reals. `lo <= hi`; infinite ends are allowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// The interval from `lo` to `hi` (in either order).
    pub fn new(lo: f64, hi: f64) -> Interval {
        if lo <= hi {
            Interval { lo, hi }
        } else {
            Interval { lo: hi, hi: lo }
        }
    }

    /// One exact value.
    pub fn exact(v: f64) -> Interval {
        Interval { lo: v, hi: v }
    }

    /// Every value that rounds to `v` written with `decimals` decimals.
    pub fn rounded(v: f64, decimals: usize) -> Interval {
        let half = 0.5 * 10f64.powi(-(decimals.min(15) as i32));
        Interval::new(v - half, v + half)
    }

    /// `v ± precision`.
    pub fn plus_minus(v: f64, precision: f64) -> Interval {
        Interval::new(v - precision.abs(), v + precision.abs())
    }

    /// The middle (or the finite end, for a half-open interval).
    pub fn mid(self) -> f64 {
        match (self.lo.is_finite(), self.hi.is_finite()) {
            (true, true) => (self.lo + self.hi) / 2.0,
            (true, false) => self.lo,
            (false, true) => self.hi,
            (false, false) => 0.0,
        }
    }

    /// Whether the two intervals share a value.
    pub fn overlaps(self, other: Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// Whether `v` is in the interval.
    pub fn contains(self, v: f64) -> bool {
        self.lo <= v && v <= self.hi
    }

    /// `self + other`.
    pub fn plus(self, o: Interval) -> Interval {
        Interval::new(self.lo + o.lo, self.hi + o.hi)
    }

    /// `self − other`.
    pub fn minus(self, o: Interval) -> Interval {
        Interval::new(self.lo - o.hi, self.hi - o.lo)
    }

    /// `self × other`.
    pub fn times(self, o: Interval) -> Interval {
        let c = [
            self.lo * o.lo,
            self.lo * o.hi,
            self.hi * o.lo,
            self.hi * o.hi,
        ];
        let c = c.map(|v| if v.is_nan() { 0.0 } else { v });
        Interval::new(
            c.iter().copied().fold(f64::INFINITY, f64::min),
            c.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        )
    }

    /// `self ÷ other`; `None` when `other` contains zero.
    pub fn divided_by(self, o: Interval) -> Option<Interval> {
        if o.contains(0.0) {
            return None;
        }
        Some(self.times(Interval::new(1.0 / o.hi, 1.0 / o.lo)))
    }

    /// `self × k` for a constant.
    pub fn scale(self, k: f64) -> Interval {
        Interval::new(self.lo * k, self.hi * k)
    }

    /// `self + k` for a constant.
    pub fn shift(self, k: f64) -> Interval {
        Interval::new(self.lo + k, self.hi + k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounding_intervals() {
        assert_eq!(Interval::rounded(2.0, 0), Interval::new(1.5, 2.5));
        let i = Interval::rounded(1.1, 1);
        assert!((i.lo - 1.05).abs() < 1e-12 && (i.hi - 1.15).abs() < 1e-12);
    }

    #[test]
    fn the_articles_freight_growth_is_possible() {
        // 2 Mt against 1.1 Mt, stated as +88 %.
        let growth = Interval::rounded(2.0, 0)
            .divided_by(Interval::rounded(1.1, 1))
            .unwrap()
            .shift(-1.0)
            .scale(100.0);
        assert!(growth.overlaps(Interval::rounded(88.0, 0)));
        assert!(!growth.overlaps(Interval::rounded(150.0, 0)));
    }

    #[test]
    fn division_by_an_interval_holding_zero_is_undefined() {
        assert_eq!(
            Interval::exact(1.0).divided_by(Interval::new(-1.0, 1.0)),
            None
        );
    }

    fn interval() -> impl Strategy<Value = Interval> {
        (-1e6f64..1e6, 0f64..1e3).prop_map(|(a, w)| Interval::new(a, a + w))
    }

    proptest! {
        /// Any values drawn from the inputs give a result inside the
        /// computed interval, for every operation.
        #[test]
        fn operations_enclose_every_pointwise_result(a in interval(), b in interval(), s in 0f64..=1.0, t in 0f64..=1.0) {
            let x = a.lo + (a.hi - a.lo) * s;
            let y = b.lo + (b.hi - b.lo) * t;
            let tol = |v: f64| 1e-9 * v.abs().max(1.0);
            let inside = |i: Interval, v: f64| i.lo - tol(v) <= v && v <= i.hi + tol(v);
            prop_assert!(inside(a.plus(b), x + y));
            prop_assert!(inside(a.minus(b), x - y));
            prop_assert!(inside(a.times(b), x * y));
            if let Some(q) = a.divided_by(b) {
                prop_assert!(inside(q, x / y));
            }
        }
    }
}
