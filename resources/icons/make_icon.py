"""Draw the program icon (run by hand after a change; the generated files are committed):

    python resources/icons/make_icon.py

A Party-red rounded square with a white roof over the character 村, in the shipped WenQuanYi
font. Drawn once at 1024 px and scaled down, so every size is the same picture. Writes
cunzhi.ico (16–256 px, for the Windows program and installer) and cunzhi-<N>.png (for the
window and the Linux desktop entry).
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "WenQuanYiMicroHei-GB2312.ttf"
RED = (179, 38, 30, 255)  # the accent of ui/style.py
WHITE = (255, 255, 255, 255)
SIZES = (16, 24, 32, 48, 64, 128, 256)
CANVAS = 1024


def draw() -> Image.Image:
    image = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    margin = CANVAS // 32
    pen.rounded_rectangle((margin, margin, CANVAS - margin, CANVAS - margin),
                          radius=CANVAS // 6, fill=RED)
    # The roof: a flat white chevron across the top third.
    mid, top, eaves, width = CANVAS // 2, CANVAS * 15 // 100, CANVAS * 33 // 100, CANVAS // 16
    pen.line(((CANVAS * 18 // 100, eaves), (mid, top), (CANVAS * 82 // 100, eaves)),
             fill=WHITE, width=width, joint="curve")
    font = ImageFont.truetype(str(FONT), CANVAS * 52 // 100)
    pen.text((mid, CANVAS * 64 // 100), "村", font=font, fill=WHITE, anchor="mm",
             stroke_width=CANVAS // 64, stroke_fill=WHITE)
    return image


def main() -> None:
    picture = draw()
    for size in SIZES:
        picture.resize((size, size), Image.Resampling.LANCZOS).save(HERE / f"cunzhi-{size}.png",
                                                                    optimize=True)
    picture.resize((256, 256), Image.Resampling.LANCZOS).save(
        HERE / "cunzhi.ico", sizes=[(size, size) for size in SIZES])


if __name__ == "__main__":
    main()
