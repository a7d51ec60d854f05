import tomllib

import pytest

from kiosk.config import DEMO_SECRET, ConfigError, load_config, read_config, template

BROKEN = """\
kiosk_id = "HN-0101"
provincial_url = "https://gov.example.cn/kiosk"
secret = "s3cret-from-the-county"
[sync]
batch_size = "many"
backof_cap_s = 60
[voice]
rate = 1000
model_path = "/nowhere/model"
[sesion]
idle_timeout_s = 30
"""


def test_every_problem_is_reported_at_once_with_its_line_and_what_to_write(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(BROKEN, encoding="utf-8")
    _, problems = read_config(path, environ={})
    found = {(p.key, p.line, p.severity) for p in problems}
    assert found == {
        ("sync.batch_size", 5, "error"),
        ("sync.backof_cap_s", 6, "error"),
        ("voice.rate", 8, "error"),
        ("voice.model_path", 9, "warning"),
        ("[sesion]", 10, "error"),
    }
    by_key = {p.key: p for p in problems}
    assert "backoff_cap_s" in by_key["sync.backof_cap_s"].fix
    assert "[session]" in by_key["[sesion]"].fix
    assert by_key["voice.rate"].fix == "写成 rate = 120"
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_a_secret_is_never_repeated_in_a_message(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('secret = 12345678\nprovincial_url = "https://gov.example.cn"\n', encoding="utf-8")
    _, problems = read_config(path, environ={})
    assert any(p.key == "secret" for p in problems)
    assert all("12345678" not in str(p) for p in problems)


def test_production_url_with_demo_credentials_and_plain_http_are_refused(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('provincial_url = "https://gov.example.cn"\n', encoding="utf-8")
    _, problems = read_config(path, environ={})
    assert {p.key for p in problems} == {"secret", "kiosk_id"}
    _, problems = read_config(path, environ={"KIOSK_PROVINCIAL_URL": "http://gov.example.cn"})
    assert any("https" in p.message for p in problems if p.key.startswith("provincial_url"))


def test_environment_overrides_the_file_and_names_itself_when_wrong(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("[sync]\nbatch_size = 50\n", encoding="utf-8")
    config, problems = read_config(path, environ={"KIOSK_SYNC_BATCH_SIZE": "20"})
    assert config.sync.batch_size == 20 and [p.severity for p in problems] == ["warning"]  # demo settings
    _, problems = read_config(path, environ={"KIOSK_SYNC_BATCH_SIZE": "lots"})
    assert problems[0].key == "sync.batch_size（环境变量 KIOSK_SYNC_BATCH_SIZE）" and problems[0].line is None


def test_load_config_stops_on_the_first_error_with_its_line(tmp_path, monkeypatch):
    path = tmp_path / "kiosk.toml"
    path.write_text('kiosk_id = "x"\n[session]\nidle_timeout_s = 60\nidle_warning_s = 90\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    with pytest.raises(ConfigError, match=r"第 4 行 session\.idle_warning_s"):
        load_config()
    path.write_text("kiosk_id = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="第 1 行"):
        load_config()


def test_the_template_is_valid_toml_that_gives_the_defaults(tmp_path):
    text = template()
    assert "secret = " not in text.replace("# secret = ", "")
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    tomllib.loads(text)
    config, problems = read_config(path, environ={})
    assert config.secret == DEMO_SECRET and config.session.idle_warning_s == 30
    assert [(p.key, p.severity) for p in problems] == [("secret", "warning")]  # still the demo


def test_the_template_and_the_running_kiosk_read_the_same_declarations(tmp_path):
    """Each setting is declared once: the template, written out uncommented, builds the default Config."""
    from dataclasses import fields, is_dataclass

    from kiosk.config import SETTINGS, Config

    path = tmp_path / "kiosk.toml"
    path.write_text(template(), encoding="utf-8")
    config, _problems = read_config(path, environ={})
    assert config == Config()
    declared = {setting.key for setting in SETTINGS}
    for item in fields(Config):
        if is_dataclass(item.default):
            assert {f"{item.name}.{inner.name}" for inner in fields(item.default)} <= declared
        else:
            assert item.name in declared


def test_common_answers_are_read_per_field_and_a_bad_list_gives_one_line_with_its_fix(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[form]\ncommon_answers.pickup = ["村委会", " 老街口 "]\ncommon_answers.seller_name = ["王"]\n')
    config, problems = read_config(path, environ={})
    assert config.form.answers_for("pickup") == ("村委会", "老街口")
    assert config.form.answers_for("seller_name") == ("王",) and config.form.answers_for("phone") == ()
    assert [p.key for p in problems] == ["secret"]  # the demo warning only
    bad = {
        'common_answers.pickup = ["村委会", "服务站", "自己家", "村口", "小卖部"]': "应有 1 到 4 个",
        'common_answers.pickup = ["村委会门口往东走三百米那家"]': "超过 10 个字",
        'common_answers.pickup = ["村委会", "村委会"]': "有重复的答案",
        'common_answers.pickup = "村委会"': "应是一串文字",
        'common_answers.Pickup = ["村委会"]': "只能用小写字母",
        'common_answers = "村委会"': "应按题目写",
    }
    for line, reason in bad.items():
        path.write_text(f"[form]\n{line}\n", encoding="utf-8")
        config, problems = read_config(path, environ={})
        [problem] = [p for p in problems if p.severity == "error"]
        assert reason in str(problem) and problem.line == 2 and "\n" not in str(problem)
        assert config.form.answers_for("pickup") == ("村委会", "服务站", "自己家")  # the default stays


def test_config_check_names_a_bad_common_answer_in_one_line_and_fails(tmp_path, capsys):
    from kiosk.cli import main

    path = tmp_path / "kiosk.toml"
    path.write_text('[form]\ncommon_answers.pickup = ["村委会", "服务站", "自己家", "村口", "小卖部"]\n')
    assert main(["config", "check", "--file", str(path)]) == 1
    [line] = [line for line in capsys.readouterr().out.splitlines() if "common_answers" in line]
    reason = "应有 1 到 4 个（加上「自己输入」一屏五个），现在是 5 个；删掉不常用的"
    assert line == f"错误  第 2 行 form.common_answers.pickup: {reason}"
