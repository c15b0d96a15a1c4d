//! The statistics the evidence contract fixes exactly.

use serde::Serialize;

/// n, mean, median and p90 of a set of times (minutes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// How many.
    pub n: u64,
    /// Their mean.
    pub mean: f64,
    /// The 0.5 quantile.
    pub median: f64,
    /// The 0.9 quantile.
    pub p90: f64,
}

impl Figures {
    /// The figures of `values`, which it sorts; `None` for none.
    #[must_use]
    pub fn of(values: &mut [f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Some(Self { n: values.len() as u64, mean, median: quantile(values, 0.5), p90: quantile(values, 0.9) })
    }
}

/// The q-quantile of sorted `values`, read at position (n − 1) × q and
/// interpolated linearly between the neighbours.
#[must_use]
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
            let at = (n - 1) as f64 * q;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0 <= at <= n - 1")]
            let low = at.floor() as usize;
            let high = (low + 1).min(n - 1);
            let frac = at - at.floor();
            sorted[low] + (sorted[high] - sorted[low]) * frac
        }
    }
}

/// The 95% adjusted-Wald interval of `within` successes in `n`:
/// p = (within + 1.92) / (n + 3.84), half-width 1.96 × √(p (1 − p) / (n + 3.84)),
/// clipped to [0, 1].
#[must_use]
pub fn adjusted_wald(within: u64, n: u64) -> [f64; 2] {
    #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let (w, n) = (within as f64, n as f64);
    let p = (w + 1.92) / (n + 3.84);
    let half = 1.96 * (p * (1.0 - p) / (n + 3.84)).sqrt();
    [(p - half).max(0.0), (p + half).min(1.0)]
}

/// Mean, standard deviation (n − 1; 0 for one value) and the 95%
/// t-interval mean ± t(0.975, n − 1) × sd / √n of `values` (none below 2
/// values). The mean of none is `NaN`.
#[must_use]
pub fn mean_sd_interval(values: &[f64]) -> (f64, f64, Option<[f64; 2]>) {
    use statrs::distribution::{ContinuousCDF as _, StudentsT};
    #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let n = values.len() as f64;
    if values.is_empty() {
        return (f64::NAN, 0.0, None);
    }
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, 0.0, None);
    }
    let sd = (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let interval = StudentsT::new(0.0, 1.0, n - 1.0).ok().map(|t| {
        let half = t.inverse_cdf(0.975) * sd / n.sqrt();
        [mean - half, mean + half]
    });
    (mean, sd, interval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_neighbours() {
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        let f = Figures::of(&mut v).unwrap_or_else(|| unreachable!());
        assert_eq!((f.n, f.mean, f.median), (4, 2.5, 2.5));
        // (4 − 1) × 0.9 = 2.7: 3 + 0.7 × (4 − 3)
        assert!((f.p90 - 3.7).abs() < 1e-12);
        assert_eq!(quantile(&[5.0], 0.9), 5.0);
    }

    #[test]
    fn the_interval_of_9_in_10_is_the_adjusted_walds() {
        let [low, high] = adjusted_wald(9, 10);
        let p: f64 = (9.0 + 1.92) / 13.84;
        let half = 1.96 * (p * (1.0 - p) / 13.84).sqrt();
        assert!((low - (p - half)).abs() < 1e-12 && (high - (p + half).min(1.0)).abs() < 1e-12);
        assert_eq!(
            adjusted_wald(0, 0),
            [
                (1.92 / 3.84 - 1.96 * (0.25 / 3.84_f64).sqrt()).max(0.0),
                (0.5 + 1.96 * (0.25 / 3.84_f64).sqrt()).min(1.0)
            ]
        );
    }
}
