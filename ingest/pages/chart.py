"""A stacked bar chart as server-rendered SVG: no JS, no CDN, the same in every browser test.

Each bar is one theme, its segments its findings per region; the SVG has a <title> and <desc>, each
segment a <title>, and the page shows the same figures as a table beside it.
"""

from __future__ import annotations

from markupsafe import Markup, escape

# Okabe–Ito's colour-blind-safe palette, then three more that stay apart from it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#999999", "#882255", "#44AA99")
WIDTH, LABEL_HEIGHT, BAR_HEIGHT, GAP = 600, 20, 16, 10


def stacked_bars(title: str, description: str, bars: list[str], series: list[str], counts: list[list[int]]) -> Markup:
    """``bars[i]`` labels bar i, ``series[j]`` segment j, ``counts[i][j]`` its length."""
    most = max((sum(row) for row in counts), default=0) or 1
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = step * len(bars) + LABEL_HEIGHT + 14 * ((len(series) + 3) // 4)
    parts = [f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {WIDTH} {height}" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>']
    for i, (label, row) in enumerate(zip(bars, counts)):
        y = i * step
        parts.append(f'<text x="0" y="{y + 14}" font-size="13">{escape(label)}</text>')
        x = 0.0
        for j, count in enumerate(row):
            if count:
                width = count / most * WIDTH
                parts.append(f'<rect x="{x:.1f}" y="{y + LABEL_HEIGHT}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                             f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(label)} · {escape(series[j])}: '
                             f'{count}</title></rect>')
                x += width
    legend_y = step * len(bars) + 4
    for j, name in enumerate(series):
        x, y = (j % 4) * (WIDTH / 4), legend_y + (j // 4) * 14
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
                     f'<text x="{x + 14:.1f}" y="{y + 9}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
