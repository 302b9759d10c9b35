"""Importing a folder of phone photos (issue #11: “under 2 × a bare Pillow open/resize/save loop”).
Makes N phone-sized JPEGs (4000 × 3000, EXIF with orientation, time and GPS) once in a temporary
folder, then times, side by side in this process, the bare loop (open, thumbnail to 1600, save as
JPEG) and the program's path (prepare_folder: sniffing, bomb guard, full decode, orientation, EXIF
stripped, SHA-256; then store_batch into a SQLite database in one transaction). Each is run twice,
alternately, and the faster run of each is compared. The program lets libjpeg decode at 1/2 scale
(`Image.draft`), which the bare loop's `thumbnail` does not at this size; a second baseline does
the same, so the ratio to the floor is shown too.

    PYTHONPATH=. python tests/benchmarks/bench_photos.py [--count 200]"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

from PIL import Image

from models.core.images import MAX_SIDE, image_files, prepare_folder, store_batch
from models.core.db import Database
from models.core.schema import migrate
from models.org.tables import AdminVillage, Township
from tests.core.photos import jpeg, phone_exif, textured

SIZE = (4000, 3000)


def make_photos(folder: Path, count: int) -> None:
    base = textured(SIZE, 7)
    for i in range(count):
        # A different patch in each, so that no two files are the same bytes.
        left = i * 17 % 3800
        base.paste((i * 37 % 256, i * 91 % 256, i * 13 % 256), (left, 100, left + 200, 300))
        exif = phone_exif(6 if i % 2 else 1, f"2026:03:{1 + i % 28:02d} 09:{i % 60:02d}:12")
        (folder / f"IMG_202603{1 + i % 28:02d}_09{i % 60:02d}12_{i}.jpg").write_bytes(jpeg(base, exif))


def bare_loop(paths: list[Path], *, scaled_decode: bool = False) -> None:
    for path in paths:
        with Image.open(path) as image:
            if scaled_decode:  # what the program does too: libjpeg decodes at 1/2 scale
                image.draft("RGB", (MAX_SIDE, MAX_SIDE * 3 // 4))
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            image.save(io.BytesIO(), "JPEG", quality=85)


def program(folder: Path, db_path: Path) -> tuple[float, float]:
    db, village_id = new_database(db_path)
    started = (time.perf_counter(), time.process_time())
    batch = prepare_folder(folder)
    with db.write() as session:
        stored = len(store_batch(session, batch, village_id, "bench"))
    took = time.perf_counter() - started[0], time.process_time() - started[1]
    db.dispose()
    assert stored == len(image_files(folder)), stored
    return took


def timed(work) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def new_database(path: Path) -> tuple[Database, int]:
    db = Database(path)
    migrate(db)
    with db.write() as session:
        town = Township(name="测试镇")
        session.add(town)
        session.flush()
        village = AdminVillage(township_id=town.id, name="测试村")
        session.add(village)
        session.flush()
        return db, village.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "照片"
        folder.mkdir()
        started = time.perf_counter()
        make_photos(folder, args.count)
        paths = image_files(folder)
        megabytes = sum(p.stat().st_size for p in paths) / 1024 / 1024
        print(f"生成 {len(paths)} 张 {SIZE[0]}×{SIZE[1]} 的 JPEG（共 {megabytes:.0f} MB）："
              f"{time.perf_counter() - started:.1f} s")
        bare, floor, ours = [], [], []
        for run in range(2):
            bare.append(timed(lambda: bare_loop(paths)))
            floor.append(timed(lambda: bare_loop(paths, scaled_decode=True)))
            ours.append(program(folder, Path(temporary) / f"run{run}.db"))
        (bare_wall, bare_cpu), (floor_wall, floor_cpu) = min(bare), min(floor)
        our_wall, our_cpu = min(ours)
        print(f"基准：Pillow 打开、缩小到 {MAX_SIDE} 像素、存 JPEG：{bare_wall:.2f} s"
              f"（CPU {bare_cpu:.2f} s）")
        print(f"基准（同样按 1/2 比例解码）：{floor_wall:.2f} s（CPU {floor_cpu:.2f} s）")
        print(f"程序：检查、解码、转正、去 EXIF、校验、存入数据库：{our_wall:.2f} s（CPU {our_cpu:.2f} s）")
        print(f"为基准的 {our_wall / bare_wall:.2f} 倍（CPU {our_cpu / bare_cpu:.2f} 倍）；目标 < 2 倍；"
              f"为按比例解码基准的 {our_wall / floor_wall:.2f} 倍（CPU {our_cpu / floor_cpu:.2f} 倍）")


if __name__ == "__main__":
    main()
