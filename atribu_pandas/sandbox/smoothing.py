"""Empirical-Bayes smoothing and percentiles of the sandbox's top-performer scores.

``sandbox.scoring`` smooths each funnel layer's rate with these fitters,
one prior per peer group, then ranks the smoothed values within the peer group.

Empirical-Bayes smoothing (priors fitted by the method of moments on the peer group)
    Rates, *beta-binomial* (k successes of n trials, :func:`beta_binomial_posterior`)::

        m   = sum(k) / sum(n)                                  pooled mean
        v   = sum(n_i * (k_i/n_i - m)^2) / sum(n)              trial-weighted variance
        tau2 = v - m(1-m) * G / sum(n)                         minus binomial noise (G ads, n>0)
        tau2 clipped to [(0.1 min(m, 1-m))^2, min((2m)^2, m(1-m)/2)]
        kappa = m(1-m)/tau2 - 1,  alpha = m kappa,  beta = (1-m) kappa
        posterior mean = (k + alpha) / (n + alpha + beta)

    Counts per exposure, *gamma-Poisson* (c events over e dollars,
    :func:`gamma_poisson_posterior`)::

        m = sum(c)/sum(e);  v = sum(e_i (c_i/e_i - m)^2)/sum(e);  tau2 = v - m G / sum(e)
        tau2 clipped to [(0.1 m)^2, (2 m)^2]
        a = m^2/tau2 (shape),  b = m/tau2 (rate, in dollars)
        posterior mean = (c + a) / (e + b)

    The clip keeps the between-ad coefficient of variation within [0.1, 2], so a prior is
    never worth more than about 100 events, nor less than a quarter of one. A group with no
    successes at all gives every ad the same value. An ad with little data thus sits near its
    peer group's mean: mid-pack, not at the top.

    These fitters do not reuse :func:`atribu_pandas.metrics.shrink`'s prior fit, because that
    one (private, frame-based) serves a different job with different rules: it caps the prior
    strength instead of clipping the between-ad spread, pools completely when the spread is
    within noise, and sends one-ad cohorts to the whole frame, whereas scoring must keep the
    CV clip and its peer-group fallback (cohort, then channel|objective, then profile) above.


Percentile
    Mid-rank within the peer group: ``100 * (average_rank - 0.5) / N`` (1 ad: 50; ties share).

"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["beta_binomial_posterior", "gamma_poisson_posterior", "percentile_within"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

# The between-unit coefficient of variation a prior may imply (see the module docstring).
_CV_MIN, _CV_MAX = 0.1, 2.0


def _group_codes(groups: npt.ArrayLike | None, size: int) -> tuple[IntArray, int]:
    if groups is None:
        return np.zeros(size, dtype=np.intp), 1
    arr = np.asarray(groups)
    if arr.dtype.kind in "iu":
        # Already integer codes (the peer groups): no hashing needed.
        uniq, inverse = np.unique(arr, return_inverse=True)
        return inverse.astype(np.intp).reshape(-1), len(uniq)
    codes, uniques = pd.factorize(np.asarray(groups, dtype=object), use_na_sentinel=False)
    return codes.astype(np.intp), len(uniques)


def _gsum(codes: IntArray, weights: npt.ArrayLike, n_groups: int) -> FloatArray:
    """Sum of weights per group code (a typed np.bincount)."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=n_groups), dtype=np.float64)


def _moment_fit(
    events: FloatArray, exposure: FloatArray, codes: IntArray, n_groups: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per ad: the group's pooled mean m, its trial-weighted variance v, and the noise scale G/E."""
    has = exposure > 0
    total_e = _gsum(codes, exposure, n_groups)
    total_c = _gsum(codes, events, n_groups)
    n_ads = _gsum(codes, has.astype(np.float64), n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_g = np.where(total_e > 0, total_c / total_e, 0.0)
        raw = np.where(has, events / np.where(has, exposure, 1.0), 0.0)
        dev = exposure * (raw - mean_g[codes]) ** 2
        var_g = np.where(total_e > 0, _gsum(codes, dev, n_groups) / total_e, 0)
        inv_g = np.where(total_e > 0, n_ads / total_e, 0.0)
    return mean_g[codes], var_g[codes], inv_g[codes]


def beta_binomial_posterior(
    successes: npt.ArrayLike, trials: npt.ArrayLike, groups: npt.ArrayLike | None = None
) -> FloatArray:
    """Empirical-Bayes posterior mean of each unit's rate under a beta prior fitted per group.

    The prior of each group is fitted by the method of moments on the group's own units
    (pooled mean, trial-weighted variance minus the binomial noise, clipped so the
    between-unit coefficient of variation stays within [0.1, 2]); see the module docstring.

    Parameters
    ----------
    successes : array-like of float
        Successes per unit (clicks, first replies ...), ``0 <= successes <= trials``.
    trials : array-like of float
        Trials per unit (impressions, conversations ...), ``>= 0``.
    groups : array-like, optional
        A group label per unit; each group gets its own prior. ``None``: one group.

    Returns
    -------
    numpy.ndarray
        ``(k + alpha) / (n + alpha + beta)`` per unit; a unit without trials gets the prior
        mean, and every unit of a group without successes (or without failures) gets 0 (or 1).

    Examples
    --------
    >>> clicks = [1000, 1500, 2000, 2500, 3000, 5]
    >>> post = beta_binomial_posterior(clicks, [100_000] * 5 + [50])
    >>> bool(post[5] < post[4])  # 5 of 50 (10%) shrinks below the 3% of 100k trials
    True
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    codes, n_groups = _group_codes(groups, k.size)
    m, v, inv = _moment_fit(k, n, codes, n_groups)
    pq = m * (1.0 - m)
    low = (_CV_MIN * np.minimum(m, 1.0 - m)) ** 2
    high = np.minimum((_CV_MAX * m) ** 2, pq / 2.0)
    tau2 = np.clip(v - pq * inv, low, high)
    degenerate = pq <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(degenerate, 0.0, pq / np.where(degenerate, 1.0, tau2) - 1.0)
        post = np.where(
            degenerate,
            m,
            (k + m * kappa) / np.where(n + kappa > 0, n + kappa, 1.0),
        )
    return np.asarray(post, dtype=np.float64)


def gamma_poisson_posterior(
    counts: npt.ArrayLike, exposure: npt.ArrayLike, groups: npt.ArrayLike | None = None
) -> FloatArray:
    """Empirical-Bayes posterior mean of each unit's rate per unit exposure, gamma prior per group.

    Counts are Poisson with mean ``rate * exposure``; each group's gamma prior (shape ``a``,
    rate ``b``) is fitted by the method of moments (pooled mean, exposure-weighted variance
    minus the Poisson noise, coefficient of variation clipped to [0.1, 2]).

    Parameters
    ----------
    counts : array-like of float
        Events per unit (clicks, conversations, outcomes ...), ``>= 0``.
    exposure : array-like of float
        Exposure per unit (dollars spent), ``>= 0``.
    groups : array-like, optional
        A group label per unit; each group gets its own prior. ``None``: one group.

    Returns
    -------
    numpy.ndarray
        ``(c + a) / (e + b)`` per unit; a unit without exposure gets the prior mean, and every
        unit of a group without events gets 0.

    Examples
    --------
    >>> post = gamma_poisson_posterior([100, 200, 300, 3], [100.0, 100.0, 100.0, 1.0])
    >>> bool(post[3] < 3.0)  # 3 clicks for $1 shrinks toward the pooled 2 per dollar
    True
    """
    c = np.asarray(counts, dtype=np.float64)
    e = np.asarray(exposure, dtype=np.float64)
    codes, n_groups = _group_codes(groups, c.size)
    m, v, inv = _moment_fit(c, e, codes, n_groups)
    tau2 = np.clip(v - m * inv, (_CV_MIN * m) ** 2, (_CV_MAX * m) ** 2)
    degenerate = m <= 0
    safe_tau2 = np.where(degenerate, 1.0, tau2)
    a = np.where(degenerate, 0.0, m * m / safe_tau2)
    b = np.where(degenerate, 0.0, m / safe_tau2)
    with np.errstate(divide="ignore", invalid="ignore"):
        post = np.where(degenerate | (e + b <= 0), m, (c + a) / np.where(e + b > 0, e + b, 1.0))
    return np.asarray(post, dtype=np.float64)


def percentile_within(values: npt.ArrayLike, groups: npt.ArrayLike | None = None) -> FloatArray:
    """Mid-rank percentile (0..100) of each value within its group; higher value, higher rank.

    ``100 * (average_rank - 0.5) / N``: a group of one gives 50, tied values share a rank.

    Parameters
    ----------
    values : array-like of float
        The values to rank.
    groups : array-like, optional
        A group label per value. ``None``: one group.

    Returns
    -------
    numpy.ndarray
        Percentiles in the open interval (0, 100).

    Examples
    --------
    >>> percentile_within([3.0, 1.0, 2.0, 2.0]).tolist()
    [87.5, 12.5, 50.0, 50.0]
    """
    vals = np.asarray(values, dtype=np.float64)
    codes, n_groups = _group_codes(groups, vals.size)
    size = vals.size
    # Sort by (group, value); a run of equal values in a group shares its average position.
    order = np.lexsort((vals, codes))
    sorted_vals, sorted_codes = vals[order], codes[order]
    new_run = np.ones(size, dtype=bool)
    new_run[1:] = (sorted_vals[1:] != sorted_vals[:-1]) | (sorted_codes[1:] != sorted_codes[:-1])
    run_start = np.flatnonzero(new_run)
    run_end = np.append(run_start[1:], size) - 1
    run_of = np.cumsum(new_run) - 1
    group_start = np.searchsorted(sorted_codes, sorted_codes, side="left")
    ranks = np.empty(size, dtype=np.float64)
    ranks[order] = (run_start + run_end)[run_of] / 2.0 - group_start + 1.0
    sizes = np.bincount(codes, minlength=n_groups).astype(np.float64)[codes]
    return np.asarray(100.0 * (ranks - 0.5) / sizes, dtype=np.float64)
