"""The province's report as charts (PNG bytes): each target's reached % by unit against the
plan's %, and the province's reached % over the periods.

Drawn with matplotlib's object API on the Agg canvas, never through ``pyplot``: no display is
needed, and no figure is shared between the web page's threads (the font settings are
process-wide rcParams, the same values in every thread). DejaVu Sans (it ships with
matplotlib) has the Vietnamese letters, so labels render on any server."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # before anything could pull in pyplot and pick a display backend

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from results import province_texts as texts
from results.province import ProvinceReport, percent_text

FONT = {"font.family": "DejaVu Sans", "font.size": 9}
COLOURS = ("#123f73", "#2e7d32", "#ef8f00", "#6a1b9a", "#00838f", "#c62828")
DPI = 110


def targets_by_unit(report: ProvinceReport) -> bytes:
    """One panel per target indicator: a horizontal bar per unit (and the province), with the
    plan's % as a dashed line; a unit without figures says so instead of showing no bar."""
    targets = report.targets
    names = [row.name for row in report.units] + [texts.PROVINCE]
    with matplotlib.rc_context(FONT):
        figure = Figure(figsize=(3.4 * max(len(targets), 1) + 1.6, 0.32 * len(names) + 1.6), dpi=DPI)
        FigureCanvasAgg(figure)
        panels = figure.subplots(1, max(len(targets), 1), sharey=True, squeeze=False)[0]
        for panel, target, colour in zip(panels, targets, COLOURS * 4, strict=False):
            values = [target.by_unit.get(row.unit_id) for row in report.units] + [target.reached]
            missing = [not row.submitted for row in report.units] + [False]
            positions = range(len(names))
            panel.barh(positions, [value or 0 for value in values], color=colour, height=0.6)
            for position, value, absent in zip(positions, values, missing, strict=True):
                label = (texts.NOT_SUBMITTED if absent else texts.CHART_NO_DATA if value is None
                         else percent_text(value))
                panel.text((value or 0) + 1, position, label, va="center", fontsize=7)
            panel.axvline(target.target, color="#c62828", linestyle="--", linewidth=1.2)
            panel.set_xlim(0, 125)
            panel.set_title(f"{_wrap(target.indicator.name)}\n({texts.CHART_TARGET.format(target=target.target)})",
                            fontsize=8)
            panel.set_xlabel(texts.CHART_REACHED_AXIS)
        panels[0].set_yticks(range(len(names)), names)
        panels[0].invert_yaxis()
        figure.tight_layout()
        return _png(figure)


def trend(report: ProvinceReport) -> bytes:
    """The province's reached % of each target over the periods that have data."""
    periods = sorted({point.period for target in report.targets for point in target.trend},
                     key=lambda period: period.year)
    with matplotlib.rc_context(FONT):
        figure = Figure(figsize=(7.5, 3.8), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.subplots()
        for target, colour in zip(report.targets, COLOURS * 4, strict=False):
            points = {point.period: point.reached for point in target.trend}
            xs = [i for i, period in enumerate(periods) if points.get(period) is not None]
            axes.plot(xs, [points[periods[i]] for i in xs], marker="o", color=colour,
                      label=_wrap(target.indicator.name, 60))
            axes.axhline(target.target, color=colour, linestyle=":", linewidth=1)
        axes.set_xticks(range(len(periods)), [period.label for period in periods])
        axes.set_ylim(0, 110)
        axes.set_ylabel(texts.CHART_REACHED_AXIS)
        if report.targets:
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=7)
        figure.tight_layout()
        return _png(figure)


def _wrap(text: str, width: int = 34) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
