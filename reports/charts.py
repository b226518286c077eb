"""The reports page's trend chart: grouped bars of `closing` and `intake` per month, as SVG geometry the
template draws inline (no JavaScript library, no CDN: the page works offline on the office network)."""

WIDTH = 600
HEIGHT = 180
TOP = 10
BOTTOM = 24  # room for the month labels
LEFT = 30


def trend_bars(rows: list[dict]) -> dict:
    """`{"width", "height", "baseline", "top_value", "months": [{"label", "x", "bars": [...]}]}`; each bar
    `{"series", "value", "x", "y", "height"}`, in SVG user units."""
    top_value = max([1, *(row["closing"] for row in rows), *(row["intake"] for row in rows)])
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT) / max(1, len(rows))
    bar_width = slot * 0.35
    months = []
    for index, row in enumerate(rows):
        x = LEFT + index * slot
        bars = []
        for offset, series in enumerate(("closing", "intake")):
            height = round(row[series] / top_value * plot_height, 1)
            bars.append(
                {
                    "series": series,
                    "value": row[series],
                    "x": round(x + slot * 0.1 + offset * bar_width, 1),
                    "y": round(baseline - height, 1),
                    "width": round(bar_width, 1),
                    "height": height,
                }
            )
        months.append({"label": row["month"].strftime("%m"), "x": round(x + slot / 2, 1), "bars": bars})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": baseline,
        "left": LEFT,
        "top": TOP,
        "top_value": top_value,
        "months": months,
    }
