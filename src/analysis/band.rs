//! How a score stands against its target, in three bands: the colours of
//! cards, the emotion curve, the remembered figure in the window and the
//! report's brief all come from here, so they never disagree.

use serde::Serialize;

/// A score's band against a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// At or above target.
    Good,
    /// Below target by at most half a point.
    Near,
    /// Further below.
    Poor,
}

impl Band {
    /// How far below the target "near" reaches.
    pub const NEAR: f64 = 0.5;

    /// The band of `score` against `target`.
    #[must_use]
    pub fn of(score: f64, target: f64) -> Self {
        let gap = target - score;
        if gap <= 1e-9 {
            Self::Good
        } else if gap <= Self::NEAR + 1e-9 {
            Self::Near
        } else {
            Self::Poor
        }
    }

    /// Its colour, `#rrggbb`.
    #[must_use]
    pub fn color(self) -> &'static str {
        match self {
            Self::Good => "#2e7d32",
            Self::Near => "#b7791f",
            Self::Poor => "#c62828",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bands_meet_at_the_target_and_half_a_point_below() {
        assert_eq!(Band::of(4.0, 4.0), Band::Good);
        assert_eq!(Band::of(3.5, 4.0), Band::Near);
        assert_eq!(Band::of(3.49, 4.0), Band::Poor);
    }
}
