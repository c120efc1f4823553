"""Did it work? A baseline log against a later log of the same stream (the 30/60/90-day review).

`review` compares the items finished before a change with those finished
after it, three ways (the statistics and the wording are in ``docs/review.md``):

* the difference in median and 85th-percentile lead time and in flow
  efficiency, each with a percentile bootstrap confidence interval (items are
  resampled within each period; the seed is recorded and printed);
* a Mann-Whitney rank test of the two sets of lead times (`scipy.stats.mannwhitneyu`);
* an XmR chart of lead time in completion order whose natural process limits
  come from the baseline only (`vsm_widgets.metrics.xmr`), with its usual signals.

The verdict calls a *signal* only when all three agree on the direction and
the rank test is significant at `alpha`, so with no real change it raises a
false alarm in at most `alpha` of reviews. Otherwise it says what the data
shows and no more: "no signal yet: 12 items finished since the change".
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from vsm_widgets.metrics import flow
from vsm_widgets.metrics.distribution import percentiles
from vsm_widgets.metrics.xmr import Xmr, xmr
from vsm_widgets.model.event_log import EventLog
from vsm_widgets.timestamps import as_utc
from vsm_widgets.wording import p_value_text

ALPHA = 0.05
CONFIDENCE = 0.95
RESAMPLES = 2000
ESTIMATE_COLUMNS = ("metric", "before", "after", "difference", "low", "high", "unit")


@dataclass(frozen=True)
class Review:
    """The evidence that a change did (or did not yet) change lead time.

    Attributes
    ----------
    since : Timestamp
        The change: items finished after it are *after*, those of the baseline up to it *before*.
    before_items, after_items : int
        Finished items in each period.
    estimates : DataFrame
        ``metric`` (lead_time_median, lead_time_p85, flow_efficiency), ``before``, ``after``,
        ``difference`` (after - before), ``low`` and ``high`` (the bootstrap interval of the
        difference) and ``unit``.
    p_value : float
        Two-sided Mann-Whitney rank test of the lead times (NaN when a period is empty).
    prob_after_shorter : float
        Share of (before, after) pairs in which the later item was quicker (ties count half).
    xmr : Xmr
        Lead times in completion order, limits from the baseline; ``points`` has ``phase``.
    signals_below, signals_above : int
        Points after the change that are XmR signals below / above the baseline's centre line.
    run_below, run_above : int
        Of those, the points in a run of eight or more on one side (a shift rather than one
        exceptional item).
    finding : str
        ``"shorter"``, ``"longer"`` (a signal), ``"possible"`` (some evidence, not a signal),
        ``"none"`` or ``"too_few"``.
    verdict : str
        The finding in words, never claiming more than the data shows.
    seed, resamples : int
        The bootstrap's seed (pass it back to reproduce the intervals) and resample count.
    confidence, alpha : float
        Level of the intervals and of the rank test.
    """

    since: pd.Timestamp
    before_items: int
    after_items: int
    estimates: pd.DataFrame
    p_value: float
    prob_after_shorter: float
    xmr: Xmr | None
    signals_below: int
    signals_above: int
    run_below: int
    run_above: int
    finding: str
    verdict: str
    seed: int
    resamples: int
    confidence: float
    alpha: float

    def format(self) -> str:
        """The review as text: verdict, estimates with intervals, rank test, XmR and the seed."""
        level = f"{self.confidence:.0%}"
        lines = [self.verdict, "", f"{'':24}{'before':>10}{'after':>10}{'difference':>12}  {level} interval"]
        for row in self.estimates.itertuples(index=False):
            scale, unit = (100.0, "pp") if row.unit == "share" else (1.0, row.unit)
            lines.append(
                f"{row.metric:24}{row.before * scale:>10.1f}{row.after * scale:>10.1f}"
                f"{row.difference * scale:>+12.1f}  {row.low * scale:+.1f} to {row.high * scale:+.1f} {unit}"
            )
        lines += [
            "",
            f"Rank test (Mann-Whitney, two-sided): {p_value_text(self.p_value)}; "
            f"a later item was quicker in {self.prob_after_shorter:.0%} of pairs",
            f"XmR of lead time, limits from the {self.before_items} baseline items: "
            f"{self.signals_below} signals below and {self.signals_above} above since the change "
            f"({self.run_below} and {self.run_above} in runs of eight)",
            f"Bootstrap: {self.resamples} resamples, seed {self.seed}",
        ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable values (NaN becomes None)."""
        estimates = [
            {key: (None if isinstance(v, float) and math.isnan(v) else v) for key, v in row.items()}
            for row in self.estimates.to_dict("records")
        ]
        limits = self.xmr.limits if self.xmr is not None else None
        return {
            "since": self.since.isoformat(),
            "before_items": self.before_items,
            "after_items": self.after_items,
            "estimates": estimates,
            "p_value": _plain(self.p_value),
            "prob_after_shorter": _plain(self.prob_after_shorter),
            "xmr": None
            if limits is None
            else {"centre": _plain(limits.centre), "lower": _plain(limits.lower), "upper": _plain(limits.upper)},
            "signals_below": self.signals_below,
            "signals_above": self.signals_above,
            "run_below": self.run_below,
            "run_above": self.run_above,
            "finding": self.finding,
            "verdict": self.verdict,
            "seed": self.seed,
            "resamples": self.resamples,
            "confidence": self.confidence,
            "alpha": self.alpha,
        }


def review(
    baseline: EventLog,
    later: EventLog,
    since: pd.Timestamp | str | None = None,
    *,
    seed: int | None = None,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    alpha: float = ALPHA,
) -> Review:
    """Review a change: baseline items against items finished since the change.

    Parameters
    ----------
    baseline : EventLog
        The stream before the change; its items finished up to `since` are the baseline.
    later : EventLog
        A later export of the same stream (it may repeat the baseline's period); its items
        finished after `since` are the evidence.
    since : Timestamp or str, optional
        When the change took effect; ``baseline.as_of`` by default.
    seed : int, optional
        Seed of the bootstrap; a fresh one is drawn (and recorded) when left out.
    resamples : int
        Bootstrap resamples.
    confidence : float
        Level of the bootstrap intervals.
    alpha : float
        Significance level of the rank test, and so the most often the review calls a
        signal when nothing changed.

    Returns
    -------
    Review
    """
    stamp = as_utc(since if since is not None else baseline.as_of)
    before = _finished(baseline, lambda done: done <= stamp)
    after = _finished(later, lambda done: done > stamp)
    seed = secrets.randbits(32) if seed is None else int(seed)
    rng = np.random.default_rng(seed)
    estimates = _estimates(before, after, rng, resamples, confidence)
    lead_before, lead_after = before["lead_time_hours"].to_numpy(), after["lead_time_hours"].to_numpy()
    if len(lead_before) and len(lead_after):
        from scipy.stats import mannwhitneyu  # scipy.stats takes seconds to import; only reviews need it

        test = mannwhitneyu(lead_before, lead_after, alternative="two-sided")
        p_value, shorter = float(test.pvalue), float(test.statistic) / (len(lead_before) * len(lead_after))
    else:
        p_value = shorter = math.nan
    chart, counts = _control_chart(before, after)
    finding, verdict = _verdict(estimates, p_value, shorter, counts, len(before), len(after), alpha, confidence)
    return Review(
        stamp,
        len(before),
        len(after),
        estimates,
        p_value,
        shorter,
        chart,
        counts["below"],
        counts["above"],
        counts["run_below"],
        counts["run_above"],
        finding,
        verdict,
        seed,
        resamples,
        confidence,
        alpha,
    )


def _finished(log: EventLog, keep: Any) -> pd.DataFrame:
    items = flow.item_metrics(log)
    items = items[items["finished"] & items["lead_time_hours"].notna() & items["done"].notna()]
    items = items[keep(items["done"])]
    return items.sort_values(["done", "item"], kind="stable").reset_index(drop=True)


def _estimates(
    before: pd.DataFrame, after: pd.DataFrame, rng: np.random.Generator, resamples: int, confidence: float
) -> pd.DataFrame:
    """Point estimates and percentile bootstrap intervals of after - before, items resampled per period."""
    tail = (1.0 - confidence) / 2.0
    rows = []
    samples = {}
    for name, items in (("before", before), ("after", after)):
        lead = items["lead_time_hours"].to_numpy(dtype=float)
        active = items["active_time_hours"].to_numpy(dtype=float)
        if len(lead) == 0:
            samples[name] = None
            continue
        draw = rng.integers(0, len(lead), size=(resamples, len(lead)))
        lead_sum = lead[draw].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            efficiency = np.where(lead_sum > 0, active[draw].sum(axis=1) / lead_sum, np.nan)
        median, p85 = percentiles(lead, (50, 85))
        draws_median, draws_p85 = percentiles(lead[draw], (50, 85), axis=1)
        samples[name] = {
            "lead_time_median": (median, draws_median),
            "lead_time_p85": (p85, draws_p85),
            "flow_efficiency": (active.sum() / lead.sum() if lead.sum() > 0 else math.nan, efficiency),
        }
    for metric, unit in (("lead_time_median", "hours"), ("lead_time_p85", "hours"), ("flow_efficiency", "share")):
        if samples["before"] is None or samples["after"] is None:
            point_before = samples["before"][metric][0] if samples["before"] else math.nan
            point_after = samples["after"][metric][0] if samples["after"] else math.nan
            rows.append((metric, point_before, point_after, point_after - point_before, math.nan, math.nan, unit))
            continue
        (point_before, draws_before), (point_after, draws_after) = samples["before"][metric], samples["after"][metric]
        low, high = percentiles(draws_after - draws_before, (100 * tail, 100 * (1.0 - tail)))
        rows.append(
            (metric, float(point_before), float(point_after), float(point_after - point_before), low, high, unit)
        )
    frame = pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))
    frame[["low", "high"]] = frame[["low", "high"]].astype(float)
    return frame


def _control_chart(before: pd.DataFrame, after: pd.DataFrame) -> tuple[Xmr | None, dict[str, int]]:
    """XmR of lead times in completion order, limits from the baseline; signals counted after the change.

    Counts, for the points after the change: ``below``/``above``, every signal on that side
    of the centre line; ``run_below``/``run_above``, those in a run of eight (a shift).
    """
    counts = {"below": 0, "above": 0, "run_below": 0, "run_above": 0}
    if len(before) < 2:
        return None, counts
    values = np.concatenate([before["lead_time_hours"], after["lead_time_hours"]]).astype(float)
    chart = xmr(values, baseline=len(before), floor=0.0)
    points = chart.points.assign(
        phase=np.where(chart.points["in_baseline"], "before", "after"),
        item=np.concatenate([before["item"], after["item"]]),
        done=pd.concat([before["done"], after["done"]], ignore_index=True),
    )
    later = points[points["phase"] == "after"]
    low, high = later["value"] < chart.limits.centre, later["value"] > chart.limits.centre
    counts = {
        "below": int((later["signal"] & low).sum()),
        "above": int((later["signal"] & high).sum()),
        "run_below": int((later["in_run"] & low).sum()),
        "run_above": int((later["in_run"] & high).sum()),
    }
    return Xmr(chart.limits, points), counts


def _direction(lower: float, higher: float) -> str | None:
    """Which way the evidence points: shorter when only the lower side shows something, longer when only the higher."""
    return "shorter" if lower and not higher else "longer" if higher and not lower else None


def _verdict(
    estimates: pd.DataFrame,
    p_value: float,
    shorter_share: float,
    chart: dict[str, int],
    n_before: int,
    n_after: int,
    alpha: float,
    confidence: float,
) -> tuple[str, str]:
    finished = f"{n_after} item{'s' if n_after != 1 else ''} finished since the change"
    if n_after == 0 or n_before < 2:
        baseline = "" if n_before >= 2 else f"; the baseline has {n_before} finished items, and limits need 2 or more"
        return "too_few", f"no signal yet: {finished}{baseline}"
    median = estimates.set_index("metric").loc["lead_time_median"]
    interval = f"{confidence:.0%} interval {median['low']:+.1f} to {median['high']:+.1f} h"
    change = f"median {median['before']:.1f} h -> {median['after']:.1f} h ({median['difference']:+.1f} h, {interval})"
    rank_says = None if not p_value < alpha else ("shorter" if shorter_share > 0.5 else "longer")
    interval_says = _direction(median["high"] < 0, median["low"] > 0)
    chart_says = _direction(chart["below"], chart["above"])
    votes = {rank_says, interval_says, chart_says}
    if len(votes) == 1 and None not in votes:
        direction = votes.pop()
        side = "below" if direction == "shorter" else "above"
        signals = chart[side]
        return direction, (
            f"signal: lead times are {direction} since the change; {change}; rank test {p_value_text(p_value)}; "
            f"{signals} XmR signal{'s' if signals != 1 else ''} {side} the baseline's centre line; {finished}. "
            "This shows that lead time changed, not what changed it."
        )
    # On its own the XmR chart is no evidence here: lead times are skewed, so points beyond the upper
    # limit and runs below the mean centre line are common with no change at all (docs/review.md).
    shown = [
        f"{what} points to {says} lead times"
        for what, says in (
            (f"the rank test ({p_value_text(p_value)})", rank_says),
            ("the median's interval", interval_says),
        )
        if says
    ]
    if shown:
        return "possible", f"no clear signal yet: {finished}; {' and '.join(shown)}, the rest do not agree; {change}."
    outliers = chart["below"] + chart["above"] - chart["run_below"] - chart["run_above"]
    beyond = (
        f"; {outliers} lead time{'s' if outliers != 1 else ''} since the change beyond the baseline's limits "
        "may be worth a look one by one"
        if outliers
        else ""
    )
    return "none", (
        f"no signal yet: {finished}; the rank test shows no difference at the {alpha:.0%} level "
        f"({p_value_text(p_value)}) "
        f"and the {interval} of the median difference includes zero{beyond}."
    )


def _plain(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)
