"""The demo's photos, drawn with Pillow: a village lane with a wall and a door, and in front of
it what a phone in the WeChat group would show for each category (a heap of rubbish, stacked
straw, a puddle of sewage, a shed, chickens …), and the same lane tidied up after the fix.
Small flat drawings (240 × 180), so that a town's photos stay within a few hundred KB; the same
category in the same lane always gives the same bytes."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SIZE = (240, 180)
GROUND, SKY, WALL, DOOR, ROOF = "#b9ab8f", "#cfe3f2", "#d9d2c5", "#8a4b2a", "#6d6f73"


def lane(seed: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """The empty lane: sky, a house wall with its door and roof line, the ground."""
    rng = random.Random(seed)
    image = Image.new("RGB", SIZE, SKY)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 110, 240, 180), fill=GROUND)
    left = rng.randint(20, 60)
    draw.rectangle((left, 40, left + 150, 112), fill=WALL, outline="#9d968a")
    draw.polygon([(left - 8, 42), (left + 75, 18), (left + 158, 42)], fill=ROOF)
    draw.rectangle((left + 60, 62, left + 90, 112), fill=DOOR)
    draw.rectangle((left + 15, 58, left + 40, 78), fill="#7fa6c4", outline="#5a5a5a")
    return image, draw


def _rubbish(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for _ in range(14):
        x, y = rng.randint(40, 190), rng.randint(118, 160)
        colour = rng.choice(["#3b3b3b", "#6b8e23", "#c0392b", "#2e86c1", "#f4f4f4", "#8e6e53"])
        draw.polygon([(x, y), (x + rng.randint(8, 20), y - rng.randint(4, 14)),
                      (x + rng.randint(12, 26), y + 6)], fill=colour)


def _straw(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.ellipse((30, 96, 150, 150), fill="#d4ac0d", outline="#9a7d0a")
    for _ in range(30):
        x = rng.randint(35, 145)
        draw.line((x, 100 + rng.randint(0, 10), x + rng.randint(-10, 10), 148), fill="#b7950b")


def _sewage(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.ellipse((20, 128, 200, 170), fill="#4d5640")
    draw.ellipse((60, 136, 150, 160), fill="#5f6b4e")
    draw.line((190, 112, 160, 140), fill="#3e4734", width=6)


def _shed(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((120, 88, 215, 150), fill="#9aa3ab", outline="#5d6d7e")
    draw.polygon([(114, 90), (221, 78), (221, 88), (114, 100)], fill="#2e86c1")


def _poultry(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for _ in range(5):
        x, y = rng.randint(40, 190), rng.randint(124, 160)
        draw.ellipse((x, y, x + 18, y + 12), fill="#fbfcfc", outline="#7b7d7d")
        draw.ellipse((x + 14, y - 6, x + 22, y + 2), fill="#fbfcfc", outline="#7b7d7d")
        draw.polygon([(x + 22, y - 3), (x + 26, y - 2), (x + 22, y)], fill="#e67e22")


def _doorway(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for _ in range(8):
        x, y = rng.randint(70, 170), rng.randint(114, 140)
        draw.rectangle((x, y, x + rng.randint(4, 10), y + rng.randint(3, 8)),
                       fill=rng.choice(["#f7dc6f", "#a04000", "#5d6d7e", "#ecf0f1"]))


def _broken(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.line((200, 150, 170, 60), fill="#566573", width=5)
    draw.rectangle((160, 52, 182, 62), fill="#f9e79f", outline="#566573")
    draw.line((20, 150, 70, 132), fill="#7b241c", width=4)


def _order(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((60, 118, 170, 150), fill="#a93226")
    for x in (75, 150):
        draw.ellipse((x - 10, 142, x + 10, 162), fill="#1c2833")


SCENES = {"垃圾乱堆乱放": _rubbish, "柴草乱堆": _straw, "污水乱排": _sewage, "私搭乱建": _shed,
          "畜禽散养": _poultry, "门前卫生": _doorway, "设施损坏": _broken, "秩序维护": _order,
          "其他": _doorway}


def drawn(category: str, lane_seed: int, *, fixed: bool = False) -> bytes:
    """A JPEG of the category's scene in lane `lane_seed` (one lane per village), or of that
    lane tidied up after the fix (the same for every category, so after-photos are few)."""
    image, draw = lane(lane_seed)
    if not fixed:
        SCENES.get(category, _doorway)(draw, random.Random(sum(map(ord, category))))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()
