"""`perfbot serve feishu` refuses to start without what it needs, in one line each."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli import main
from tests.fakes import feishu_events as ev
from tests.fakes.feishu_open_api import APP_ID, APP_SECRET, FakeFeishu

CLEAN = {
    "FEISHU_APP_ID": "", "FEISHU_APP_SECRET": "", "FEISHU_VERIFICATION_TOKEN": "",
    "FEISHU_ENCRYPT_KEY": "", "FEISHU_API_URL": "", "FEISHU_DOMAIN": "feishu",
}  # fmt: skip


def serve(db_url: str, *args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["serve", "feishu", "--db", db_url, *args], env={**CLEAN, **env}
    )
    return result.exit_code, result.output


def test_missing_credentials_are_named(demo_url):
    code, out = serve(demo_url, "--transport", "ws")
    assert code == 1 and "FEISHU_APP_ID and FEISHU_APP_SECRET must be set" in out
    code, out = serve(demo_url, FEISHU_APP_ID=APP_ID, FEISHU_APP_SECRET=APP_SECRET)
    assert code == 1 and "FEISHU_VERIFICATION_TOKEN must be set" in out


def test_a_wrong_secret_or_an_unreachable_api_stops_it_with_one_line(demo_url):
    with FakeFeishu() as fake:
        code, out = serve(
            demo_url, "--transport", "ws", FEISHU_APP_ID=APP_ID, FEISHU_APP_SECRET="wrong",
            FEISHU_API_URL=fake.base_url,
        )  # fmt: skip
        assert code == 1 and "Feishu refused FEISHU_APP_ID/FEISHU_APP_SECRET (code 10014" in out
        assert out.strip().count("\n") == 0
    code, out = serve(
        demo_url, FEISHU_APP_ID=APP_ID, FEISHU_APP_SECRET=APP_SECRET,
        FEISHU_VERIFICATION_TOKEN=ev.TOKEN, FEISHU_ENCRYPT_KEY=ev.ENCRYPT_KEY,
        FEISHU_API_URL="http://127.0.0.1:9",
    )  # fmt: skip
    assert code == 1 and "cannot reach the Feishu Open API at http://127.0.0.1:9" in out


def test_a_domain_that_is_not_an_https_origin_is_refused(demo_url):
    code, out = serve(
        demo_url, "--transport", "ws", FEISHU_APP_ID=APP_ID, FEISHU_APP_SECRET=APP_SECRET,
        FEISHU_DOMAIN="http://open.feishu.cn/evil",
    )  # fmt: skip
    assert code == 1 and "FEISHU_DOMAIN" in out
