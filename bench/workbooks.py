"""The benchmark's inputs, made from the bundled example with reportgen's own workbook writer.

    python bench/workbooks.py batch FOLDER --units 200 --config reportgen.toml
        a working folder: reportgen.toml with [units.u001] … tables, inputs/u001/2023-06.xlsx …,
        each unit's figures varied from the example's by a seeded random generator
    python bench/workbooks.py grow FOLDER 30 300 3000 [--variants 4]
        FOLDER/indicators-30.xlsx …: the example's indicators repeated under unique codes; with
        --variants N, FOLDER/indicators-30-1.xlsx … -N.xlsx, the same figures under names each
        variant spells its own way, and FOLDER/indicators-warm-up.xlsx (the smallest size, named
        apart again) to warm a process on

Runs under the interpreter of the checkout being measured (it imports that
checkout's reportgen), so the workbooks are exactly what that version writes.
The same seed gives the same workbooks, so two checkouts are measured on the same figures.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from reportgen.domain.plan import BookContent, example_book
from reportgen.workbook.write.input_workbook import write_book

SEED = 20230620
NUMBER_KEYS = ("baseline", "month_value", "value", "same_period", "growth")
PERCENT_UNIT = "%"
VARIANT_LETTERS = "abcdefghijklmnopqrstuv"
"""Up to 22 variants; "w" names the warm-up workbook."""
WARM_UP = "indicators-warm-up.xlsx"


def scaled(value: Decimal | None, factor: float, ceiling: Decimal | None) -> Decimal | None:
    """``value`` × ``factor`` at the value's own number of decimals; zero stays zero ("no poor households left")."""
    if value is None or value == 0:
        return value
    result = (value * Decimal(str(factor))).quantize(Decimal(1).scaleb(min(value.as_tuple().exponent, 0)))
    return min(result, ceiling) if ceiling is not None else result


def varied_indicator(row: dict, rng: random.Random) -> dict:
    """This year's figures move together (the month within the year-to-date); last year's move apart."""
    ceiling = Decimal(100) if row.get("unit") == PERCENT_UNIT else None
    this_year, last_year = rng.uniform(0.85, 1.15), rng.uniform(0.9, 1.1)
    varied = dict(row)
    for key in NUMBER_KEYS:
        factor = last_year if key == "same_period" else this_year
        varied[key] = scaled(row.get(key), factor, ceiling)
    return varied


def varied_project(row: dict, rng: random.Random) -> dict:
    factor = rng.uniform(0.6, 1.4)
    return {**row, "progress": scaled(row.get("progress"), factor, Decimal(100)),
            "disbursed": scaled(row.get("disbursed"), factor, None)}


def varied_book(base: BookContent, unit_index: int) -> BookContent:
    rng = random.Random(SEED + unit_index)
    return replace(base, indicators=tuple(varied_indicator(row, rng) for row in base.indicators),
                   projects=tuple(varied_project(row, rng) for row in base.projects))


def grown_book(base: BookContent, count: int, variant: str = "") -> BookContent:
    """``count`` indicators: the example's, repeated in order with codes KT01-0002 … and names "… (0002)" so
    every code and every name is unique, as in a real workbook of that size.  (Up to 3b5b7d0 the names
    repeated, which a writer that keeps what it laid out per text, as the PDF writer does since, would
    measure as cheaper at 300 indicators than it is.)  A ``variant`` letter goes after the number
    ("… (0002b)"): the same figures, under names no other variant has."""
    rng = random.Random(SEED + count)
    rows = []
    for index in range(count):
        row = base.indicators[index % len(base.indicators)]
        copy = index // len(base.indicators)
        if copy:
            row = {**varied_indicator(row, rng), "code": f"{row['code']}-{copy + 1:04d}",
                   "name": f"{row['name']} ({copy + 1:04d}{variant})"}
        rows.append(row)
    return replace(base, indicators=tuple(rows))


def unit_id(index: int) -> str:
    return f"u{index:03d}"


def unit_table(index: int) -> str:
    """A commune's [units.<id>] table: its own names over the shared defaults of reportgen.toml."""
    place = f"Thử Nghiệm {index}"
    return (f'\n[units.{unit_id(index)}]\n'
            f'agency = ["ỦY BAN NHÂN DÂN", "XÃ {place.upper()}"]\n'
            f'name = "Ủy ban nhân dân xã {place}"\n'
            f'short_name = "UBND xã {place}"\n'
            f'place = "{place}"\n'
            f'area = "xã"\n')


def write_batch(folder: Path, units: int, config: Path) -> None:
    """A fresh working folder holding ``units`` units, each with its June 2023 workbook."""
    folder.mkdir(parents=True, exist_ok=False)
    base = example_book()
    tables = "".join(unit_table(index) for index in range(1, units + 1))
    (folder / "reportgen.toml").write_text(config.read_text(encoding="utf-8") + tables, encoding="utf-8")
    for index in range(1, units + 1):
        write_book(varied_book(base, index), folder / "inputs" / unit_id(index) / f"{base.period.code}.xlsx")


def write_grown(folder: Path, sizes: list[int], variants: int = 1) -> None:
    """One workbook per size; with several variants, ``variants`` per size and one to warm up on.

    A process that generated a workbook once keeps what it laid out per text (the PDF writer's
    paragraphs, the number formats): generating the same workbook again measures how much of it
    those caches hold, which is all of 300 indicators and little of 3,000.  Variants give every
    timed run names the process has not seen, as a new month's or another unit's workbook has."""
    folder.mkdir(parents=True, exist_ok=True)
    base = example_book()
    for size in sizes:
        if variants == 1:
            write_book(grown_book(base, size), folder / f"indicators-{size}.xlsx")
            continue
        for number in range(1, variants + 1):
            write_book(grown_book(base, size, VARIANT_LETTERS[number - 1]), folder / f"indicators-{size}-{number}.xlsx")
    if variants > 1:
        write_book(grown_book(base, min(sizes), "w"), folder / WARM_UP)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    batch = commands.add_parser("batch")
    batch.add_argument("folder", type=Path)
    batch.add_argument("--units", type=int, default=200)
    batch.add_argument("--config", type=Path, required=True, help="the reportgen.toml whose shared settings to use")
    grow = commands.add_parser("grow")
    grow.add_argument("folder", type=Path)
    grow.add_argument("sizes", type=int, nargs="+")
    grow.add_argument("--variants", type=int, default=1, choices=range(1, len(VARIANT_LETTERS) + 1),
                      metavar="N", help="workbooks per size, each named its own way (default 1)")
    args = parser.parse_args(argv)
    if args.command == "batch":
        write_batch(args.folder, args.units, args.config)
    else:
        write_grown(args.folder, args.sizes, args.variants)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
