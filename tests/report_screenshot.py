"""The picture of the Malay HTML report in docs/user-guide.md, made by the tool itself.

`python -m tests.report_screenshot` runs `evaluator compare --panel panel/ --lang ms
--format html --sensitivity` on the samples (the docs' fixed date) and has headless
Chromium photograph the top of the report, 1280 pixels wide, into
docs/images/report-ms.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "images" / "report-ms.png"
COMMAND = ("compare", "--panel", "panel/", "--lang", "ms", "--format", "html", "--sensitivity")
SIZE = (1280, 1700)


def main() -> None:
    from tests.doc_samples import EPOCH

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("needs chromium (tests/setup-test-deps.sh installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        env = os.environ | {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "evaluator", *COMMAND, "--output", str(report)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                f"--user-data-dir={Path(tmp) / 'profile'}",
                f"--screenshot={PICTURE}",
                f"--window-size={SIZE[0]},{SIZE[1]}",
                report.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    print(f"wrote {PICTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
