"""reportgen.toml: typed settings, and errors naming the file and the key."""

from pathlib import Path

import pytest

from reportgen.settings.config import load_config, parse_config
from reportgen.core.errors import ConfigError
from reportgen.report.init_folder import init_folder

ROOT = Path(__file__).resolve().parents[1]


def test_the_repository_config_is_the_packaged_one_and_loads():
    packaged = ROOT / "reportgen" / "data" / "reportgen.toml"
    assert (ROOT / "reportgen.toml").read_text(encoding="utf-8") == packaged.read_text(encoding="utf-8")
    config = load_config(ROOT / "reportgen.toml")
    assert config.unit.agency == ("ỦY BAN NHÂN DÂN", "HUYỆN BÌNH LIÊU")
    assert config.schedule.due_day == 20 and config.schedule.time == "07:00"
    assert not config.mail.configured     # [mail] is commented out: messages go to outputs/outbox/


def test_init_writes_the_mail_table_commented_out(tmp_path):
    init_folder(tmp_path / "f")
    text = (tmp_path / "f" / "reportgen.toml").read_text(encoding="utf-8")
    assert "# [mail]\n# host = \"smtp.example.vn\"" in text
    assert not load_config(tmp_path / "f" / "reportgen.toml").mail.configured


@pytest.mark.parametrize("data, message", [
    ({"mail": {"host": "smtp.x.vn", "sender": "a@x.vn", "password": "bí mật"}},
     "Cấu hình reportgen.toml, mục [mail], khóa «password»: không ghi mật khẩu vào tệp cấu hình. Đặt mật khẩu vào "
     "biến môi trường có tên ghi ở password_env, hoặc vào kho mật khẩu của hệ điều hành (xem docs/delivery.md)."),
    ({"mail": {"host": "smtp.x.vn"}},
     "Cấu hình reportgen.toml, mục [mail], khóa «sender»: cần khai báo khi đã có [mail] host."),
    ({"mail": {"host": "smtp.x.vn", "sender": "a@x.vn", "to": ["lanhdao"]}},
     "Cấu hình reportgen.toml, mục [mail], khóa «to»: địa chỉ thư không hợp lệ: «lanhdao»."),
    ({"mail": {"security": "tls"}},
     "Cấu hình reportgen.toml, mục [mail], khóa «security»: phải là một trong starttls, ssl, none; đang là «tls»."),
    ({"mail": {"port": "587"}},
     "Cấu hình reportgen.toml, mục [mail], khóa «port»: cần một số nguyên; đang là '587'."),
    ({"schedule": {"due_day": 31}},
     "Cấu hình reportgen.toml, mục [schedule], khóa «due_day»: phải từ 1 đến 28; đang là 31."),
    ({"schedule": {"time": "7h"}},
     'Cấu hình reportgen.toml, mục [schedule], khóa «time»: cần giờ dạng HH:MM, ví dụ "07:00"; đang là «7h».'),
    ({"delivery": {"resend_corrected": "maybe"}},
     "Cấu hình reportgen.toml, mục [delivery], khóa «resend_corrected»: phải là một trong send, hold; "
     "đang là «maybe»."),
    ({"unit": {"plac": "Bình Liêu"}},
     "Cấu hình reportgen.toml, mục [unit], khóa «plac»: khóa không có; các khóa hợp lệ: agency, archive, area, "
     "doc_symbol, name, place, reports, short_name, superior."),
    ({"mial": {}},
     "Cấu hình reportgen.toml, mục [mial]: mục không có; các mục hợp lệ: [unit], [signer], [report], [paths], "
     "[mail], [schedule], [delivery], [limits], [sign], [issue], [units]."),
])
def test_errors_name_the_file_and_key(data, message):
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert str(err.value) == message
