"""The screenshots of `evaluator explore` in docs/explore.md, made by the app itself.

`python -m tests.explore_screenshot` opens the samples as `evaluator explore --weights
pricing=10` would (italy leads), presses Tab and → four times (pricing pushed up to 14%:
south-korea takes first place) and saves Textual's own SVG screenshot at 80×24, in
English (docs/explore.svg) and in Bahasa Malaysia (docs/explore-ms.svg, `--lang ms`).
tests/test_explore.py checks what they show.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from evaluator import api
from evaluator.cli.explore import explore_app, session_of
from evaluator.render import i18n

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("tab", "right", "right", "right", "right")
SHOTS = {"en": ROOT / "docs" / "explore.svg", "ms": ROOT / "docs" / "explore-ms.svg"}


def screenshot(lang: str) -> str:
    """The SVG of the walk, in `lang`."""
    i18n.set_language(lang)
    try:
        framework = api.load_criteria(ROOT / "criteria" / "default.yaml")
        staged = api.compare_stages(
            [ROOT / "proposals"], framework, weights={"pricing": 10}, method="wsm"
        )
        with tempfile.TemporaryDirectory() as tmp:
            app = explore_app(session_of(staged.final, "wsm", Path(tmp) / "w.yaml", staged))
            shot: list[str] = []

            async def run() -> None:
                async with app.run_test(size=(80, 24)) as pilot:
                    await pilot.pause()
                    await pilot.press(*KEYS)
                    await pilot.pause()
                    shot.append(app.export_screenshot(title="evaluator explore"))

            asyncio.run(run())
        return shot[0]
    finally:
        i18n.set_language("en")


def main(*_: Any) -> None:
    for lang, path in SHOTS.items():
        path.write_text(screenshot(lang), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
