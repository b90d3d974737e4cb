"""A small SVG writer for the report's charts: shapes and text in pixels, text widths estimated from the font's
proportions, round axis ticks, and a PNG encoder for a raster layer (a map's land and dots).

Why not matplotlib: importing it and drawing three figures cost every run that changed an event more than a
second; writing the charts' few hundred elements as text costs milliseconds. Output is deterministic: the same
calls give the same bytes.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from html import escape

import numpy as np

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
# Advance widths in em of DejaVu Sans (the font matplotlib drew with), by class of character: a label's
# width is estimated, not measured, so layouts leave a margin.
_WIDTHS = {**dict.fromkeys("iIjl.,:;'!|", 0.30), **dict.fromkeys("ft()[] -/", 0.37), "r": 0.42,
           **dict.fromkeys("mwMW%@", 0.95), **dict.fromkeys("0123456789", 0.64)}


def text_width(text: str, size: float) -> float:
    """Estimated width in pixels of text at a font size in pixels."""
    return size * sum(_WIDTHS.get(ch, 0.72 if ch.isupper() else 0.62) for ch in text)


def _n(value: float) -> str:
    """A coordinate as short, stable text."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


class Canvas:
    """An SVG document of a fixed pixel size, built element by element (later elements on top)."""

    def __init__(self, width: int, height: int, background: str = "white") -> None:
        self.width, self.height = width, height
        self.parts: list[str] = [f'<rect width="{width}" height="{height}" fill="{background}"/>']

    def rect(self, x: float, y: float, w: float, h: float, fill: str, stroke: str | None = None,
             stroke_width: float = 0.0, **attrs: str) -> None:
        edge = f' stroke="{stroke}" stroke-width="{_n(stroke_width)}"' if stroke else ""
        self.parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" '
                          f'fill="{fill}"{edge}{_attrs(attrs)}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1.0,
             dash: str | None = None) -> None:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
                          f'stroke-width="{_n(width)}"{dashes}/>')

    def circle(self, x: float, y: float, r: float, fill: str, opacity: float = 1.0, stroke: str | None = None,
               stroke_width: float = 0.0) -> None:
        edge = f' stroke="{stroke}" stroke-width="{_n(stroke_width)}"' if stroke else ""
        alpha = f' fill-opacity="{_n(opacity)}"' if opacity < 1 else ""
        self.parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{fill}"{alpha}{edge}/>')

    def text(self, x: float, y: float, text: str, size: float, anchor: str = "start", color: str = "#222222",
             baseline: str = "alphabetic", halo: bool = False, rotate: float = 0.0, bold: bool = False,
             outline: str | None = None) -> None:
        """Text at (x, y); anchor start/middle/end, baseline alphabetic/middle/hanging; halo: a white outline
        that keeps it readable over dots."""
        if halo:  # a white outlined copy underneath (not paint-order, which not every renderer knows)
            self.text(x, y, text, size, anchor, "white", baseline, rotate=rotate, bold=bold,
                      outline="white")
        extra = f' stroke="{outline}" stroke-width="3" stroke-linejoin="round"' if outline else ""
        if rotate:
            extra += f' transform="rotate({_n(rotate)} {_n(x)} {_n(y)})"'
        if baseline != "alphabetic":
            extra += f' dominant-baseline="{"central" if baseline == "middle" else baseline}"'
        if bold:
            extra += ' font-weight="bold"'
        self.parts.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
                          f'fill="{color}"{extra}>{escape(text, quote=False)}</text>')

    def image(self, x: float, y: float, w: float, h: float, png: bytes) -> None:
        """A PNG drawn into the box (x, y, w, h), embedded as a data URI."""
        data = base64.b64encode(png).decode("ascii")
        self.parts.append(f'<image x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" '
                          f'preserveAspectRatio="none" href="data:image/png;base64,{data}"/>')

    def svg(self) -> bytes:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                f'viewBox="0 0 {self.width} {self.height}" font-family="{FONT}">')
        return "\n".join([head, *self.parts, "</svg>"]).encode("utf-8") + b"\n"


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {name.replace("_", "-")}="{escape(str(value))}"' for name, value in attrs.items())


def ticks(top: float, most: int = 6) -> list[int]:
    """Round integer ticks from 0 to at least top, at most `most` + 1 of them (steps 1, 2, 5 x 10^k)."""
    top = max(top, 1)
    for power in range(0, 12):
        for base in (1, 2, 5):
            step = base * 10**power
            if math.ceil(top / step) <= most:
                return list(range(0, math.ceil(top / step) * step + 1, step))
    return [0, math.ceil(top)]


def png(rgb: np.ndarray) -> bytes:
    """An 8-bit RGB image (height x width x 3, uint8) as PNG bytes, with no timestamp or other metadata."""
    height, width, _ = rgb.shape
    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgb.reshape(height, width * 3)], axis=1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
            + chunk(b"IEND", b""))


def rgb(color: str) -> np.ndarray:
    """'#rrggbb' as a float array of 0-255 values."""
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float32)


def discs(image: np.ndarray, xs, ys, radii, color: str, alpha: float, edge: float = 0.0) -> None:
    """Draw filled discs (centres and radii in the image's pixels) onto a float RGB image, blended with
    alpha, each inside a white ring `edge` pixels wide (dots that overlap stay apart); a pixel the edge of a
    disc crosses is covered in proportion (smooth edges)."""
    fill, white = rgb(color), rgb("#ffffff")
    height, width, _ = image.shape
    for x, y, r in zip(xs, ys, radii, strict=True):
        outer = r + edge
        x0, x1 = max(int(x - outer - 1), 0), min(int(x + outer) + 2, width)
        y0, y1 = max(int(y - outer - 1), 0), min(int(y + outer) + 2, height)
        if x0 >= x1 or y0 >= y1:
            continue
        yy, xx = np.ogrid[y0:y1, x0:x1]
        distance = np.sqrt((xx + 0.5 - x) ** 2 + (yy + 0.5 - y) ** 2, dtype=np.float32)
        inside = np.clip(r + 0.5 - distance, 0, 1)[..., None]
        patch = image[y0:y1, x0:x1]
        if edge:
            ring = alpha * (np.clip(outer + 0.5 - distance, 0, 1)[..., None] - inside)
            patch += (white - patch) * ring
        patch += (fill - patch) * (alpha * inside)
