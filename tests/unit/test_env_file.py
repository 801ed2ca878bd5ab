"""`.env` reaches the process environment (the sources' secrets are read from there), and a
variable already set in the environment wins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import export_env_file


def test_env_file_fills_in_what_the_environment_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# the CRM\nHUBSPOT_TOKEN=pat-from-file\nERP_API_KEY='quoted key'\nEMPTY=\nBARE\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(os, "environ", {"ERP_API_KEY": "from-the-environment"})
    export_env_file(env)
    assert os.environ == {
        "HUBSPOT_TOKEN": "pat-from-file",
        "ERP_API_KEY": "from-the-environment",
        "EMPTY": "",
    }
    export_env_file(tmp_path / "missing.env")  # no file: nothing happens
