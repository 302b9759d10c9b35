"""A folder of phone photos registered as one problem's photos (issue #11: "importing a folder of
200 photos … under 2 × a bare Pillow open/resize/save loop"). The core's own import is measured
by bench_photos.py; this is the problem's path on top of it: `ProblemsService.register` with the
folder's files (the core importer, then every photo stored in the database and linked to the
登记 event, whose hash covers their checksums) in one transaction. Same photos (4000 × 3000,
EXIF), same bare loops, each run twice alternately, the faster run of each compared.

    PYTHONPATH=. python tests/benchmarks/bench_problem_photos.py [--count 200]"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from models.core.access import SYSTEM
from models.core.db import Database
from models.core.images import image_files
from models.core.schema import migrate
from models.problems.service import ProblemInput, ProblemsService
from tests.benchmarks.bench_photos import bare_loop, make_photos, timed
from tests.problems.helpers import make_town


def register_folder(folder: Path, db_path: Path) -> tuple[float, float]:
    db = Database(db_path)
    migrate(db)
    town = make_town(db)
    service = ProblemsService(db, SYSTEM)
    data = ProblemInput(date(2026, 3, 1), town.source_id, town.category_id, "拍客群一批照片",
                        household_id=town.home.households[0])
    started = (time.perf_counter(), time.process_time())
    registered = service.register(data, image_files(folder), on=date(2026, 3, 1))
    took = time.perf_counter() - started[0], time.process_time() - started[1]
    assert len(service.card(registered.problem_id).before) == len(image_files(folder))
    db.dispose()
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "拍客群照片"
        folder.mkdir()
        make_photos(folder, args.count)
        paths = image_files(folder)
        bare, floor, ours = [], [], []
        for run in range(2):
            bare.append(timed(lambda: bare_loop(paths)))
            floor.append(timed(lambda: bare_loop(paths, scaled_decode=True)))
            ours.append(register_folder(folder, Path(temporary) / f"run{run}.db"))
        (bare_wall, bare_cpu), (floor_wall, floor_cpu) = min(bare), min(floor)
        our_wall, our_cpu = min(ours)
        print(f"{len(paths)} 张手机照片（4000×3000）")
        print(f"基准：Pillow 打开、缩小、存 JPEG：{bare_wall:.2f} s（CPU {bare_cpu:.2f} s）；"
              f"按 1/2 比例解码：{floor_wall:.2f} s（CPU {floor_cpu:.2f} s）")
        print(f"登记问题并导入全部照片（检查、转正、去 EXIF、存入数据库、记入登记）：{our_wall:.2f} s"
              f"（CPU {our_cpu:.2f} s）")
        print(f"为基准的 {our_wall / bare_wall:.2f} 倍（CPU {our_cpu / bare_cpu:.2f} 倍）；目标 < 2 倍；"
              f"为按比例解码基准的 {our_wall / floor_wall:.2f} 倍")


if __name__ == "__main__":
    main()
