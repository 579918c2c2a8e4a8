"""Where the repository and its seed plan are, for tests in any folder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_PLAN = ROOT / "plans" / "gap-mat-2023.yaml"
