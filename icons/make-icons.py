"""Draws ropa's placeholder icon (blue rounded square, white shield, blue R) as RGBA PNGs.

Standard library only. Usage: python3 icons/make-icons.py icons
"""
import math, struct, sys, zlib

BG = (29, 78, 216)      # blue
FG = (255, 255, 255)    # shield
INK = (29, 78, 216)     # letter

def seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)

def in_rounded_square(x, y, m=0.04, r=0.18):
    if x < m or x > 1 - m or y < m or y > 1 - m:
        return False
    cx = min(max(x, m + r), 1 - m - r)
    cy = min(max(y, m + r), 1 - m - r)
    return math.hypot(x - cx, y - cy) <= r

def in_shield(x, y):
    top, mid, bot, hw = 0.17, 0.52, 0.88, 0.29
    if y < top or y > bot:
        return False
    # slightly concave top edge
    if y < top + 0.04 * ((x - 0.5) / hw) ** 2:
        return False
    if y <= mid:
        w = hw
    else:
        t = (y - mid) / (bot - mid)
        w = hw * math.sqrt(max(0.0, 1 - t * t)) * (1 - 0.35 * t)
    return abs(x - 0.5) <= w

def in_r(x, y):
    s = 0.038
    stem = seg_dist(x, y, 0.415, 0.31, 0.415, 0.71) <= s
    top = seg_dist(x, y, 0.415, 0.31, 0.52, 0.31) <= s
    mid = seg_dist(x, y, 0.415, 0.51, 0.52, 0.51) <= s
    cx, cy, rr = 0.52, 0.41, 0.10
    bowl = x >= cx and abs(math.hypot(x - cx, y - cy) - rr) <= s
    leg = seg_dist(x, y, 0.50, 0.51, 0.61, 0.71) <= s
    return stem or top or mid or bowl or leg

def colour(x, y):
    if not in_rounded_square(x, y):
        return None
    if in_shield(x, y):
        return INK if in_r(x, y) else FG
    return BG

def render(size, ss=4):
    rows = []
    for j in range(size):
        row = bytearray([0])  # filter type none
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(ss):
                for si in range(ss):
                    c = colour((i + (si + 0.5) / ss) / size, (j + (sj + 0.5) / ss) / size)
                    if c is not None:
                        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 1
            n = ss * ss
            if acc[3]:
                row += bytes((acc[0] // acc[3], acc[1] // acc[3], acc[2] // acc[3], 255 * acc[3] // n))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    return b"".join(rows)

def png(size, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

out = sys.argv[1]
for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
    with open(f"{out}/{name}", "wb") as f:
        f.write(png(size, render(size, 4 if size <= 256 else 3)))
    print(name, size)
