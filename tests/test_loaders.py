import pandas as pd
import pytest

from childplan_analysis import config
from childplan_analysis.errors import DataError
from childplan_analysis.loaders import detect_encoding, load_observations, read_observations

CSV = "地区,指标,年份,数值,单位\n磐石市,婴儿死亡率,2020,4.5,‰\n磐石市,学前教育毛入园率,2020,91.2,%\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding(tmp_path, encoding):
    path = tmp_path / "obs.csv"
    path.write_bytes(CSV.encode(encoding))
    obs = load_observations(path)
    assert list(obs["indicator"]) == ["infant_mortality", "preschool_gross_enrolment"]
    assert list(obs["value"]) == [4.5, 91.2]
    assert set(obs["region"]) == {"磐石市"}


def test_detect_encoding():
    assert detect_encoding("婴儿".encode("gbk")) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"


def test_units_are_converted_and_noted(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("region,indicator,year,value,unit\nA,新生儿死亡率,2020,0.25,%\nA,孕产妇死亡率,2020,0.15,‰\n",
                    encoding="utf-8")
    obs = load_observations(path).set_index("indicator")
    assert obs.loc["neonatal_mortality", "value"] == pytest.approx(2.5)
    assert obs.loc["neonatal_mortality", "unit"] == "‰"
    assert "converted from %" in obs.loc["neonatal_mortality", "note"]
    assert obs.loc["maternal_mortality", "value"] == pytest.approx(15.0)


def test_every_row_is_loaded_or_rejected_with_reason(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "region,indicator,year,value,unit,sex\n"
        "A,婴儿死亡率,2019,5.1,‰,\n"          # ok
        "A,婴儿死忙率,2019,5.1,‰,\n"          # unknown indicator
        "A,婴儿死亡率,20x9,5.1,‰,\n"          # bad year
        "A,婴儿死亡率,2018,—,‰,\n"            # not reported
        "A,婴儿死亡率,2017,1200,‰,\n"         # outside natural bounds
        "A,婴儿死亡率,2016,5,张,\n"            # incompatible unit
        "A,婴儿死亡率,2015,<0.1,‰,\n"         # a bound
        "A,婴儿死亡率,2014,５．２,‰,男\n"      # full-width digits -> ok
        "A,婴儿死亡率,2013,\"1,000\",1/10万,\n"  # thousands separator, converted -> ok
        "A,婴儿死亡率,2012,6,‰,x\n",          # bad sex
        encoding="utf-8",
    )
    result = read_observations(path)
    assert result.rows_read == 10
    assert len(result.observations) + len(result.rejected) == 10
    assert len(result.observations) == 3
    reasons = dict(zip(result.rejected["row"], result.rejected["reason"], strict=True))
    assert "unknown indicator" in reasons[3] and "infant_mortality" in reasons[3]
    assert "year" in reasons[4]
    assert "no value reported" in reasons[5]
    assert "natural bounds" in reasons[6]
    assert "cannot be converted" in reasons[7]
    assert "bound" in reasons[8]
    assert "sex" in reasons[11]
    cols = dict(zip(result.rejected["row"], result.rejected["column"], strict=True))
    assert cols[3] == "indicator" and cols[6] == "value" and cols[7] == "unit"
    ok = result.observations.set_index("year")
    assert ok.loc[2014, "value"] == pytest.approx(5.2) and ok.loc[2014, "sex"] == "male"
    assert ok.loc[2013, "value"] == pytest.approx(10.0)
    with pytest.raises(DataError) as exc:
        load_observations(path)
    assert "row 3, column indicator" in str(exc.value)
    assert len(exc.value.rejected) == 7


def test_conflicting_and_repeated_duplicates(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "region,indicator,year,value\nA,婴儿死亡率,2019,5.1\nA,婴儿死亡率,2019,5.1\n"
        "A,婴儿死亡率,2020,5.0\nA,婴儿死亡率,2020,4.0\nA,婴儿死亡率,2021,4.8\n",
        encoding="utf-8",
    )
    r = read_observations(path)
    assert r.rows_read == 5
    assert list(r.observations["year"]) == [2019, 2021]
    reasons = list(r.rejected.sort_values("row")["reason"])
    assert "repeat of" in reasons[0]
    assert all("conflicting duplicate" in x for x in reasons[1:])


def test_missing_required_column_rejects_every_row(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("region,indicator,value\nA,婴儿死亡率,5\nA,婴儿死亡率,6\n", encoding="utf-8")
    r = read_observations(path)
    assert len(r.rejected) == 2 and r.observations.empty
    assert "missing column(s) year" in r.rejected["reason"].iloc[0]


def test_empty_file_and_folder_of_files(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "a.csv").write_text("region,indicator,year,value\nA,婴儿死亡率,2020,5\n", encoding="utf-8")
    r = read_observations(tmp_path)
    assert len(r.observations) == 1
    assert r.rejected["reason"].tolist() == ["empty file"]


def test_excel_long_form(tmp_path):
    path = tmp_path / "obs.xlsx"
    pd.DataFrame({"地区": ["A", "A"], "指标": ["婴儿死亡率", "新生儿死亡率"], "年份": [2020, 2020],
                  "数值": [5.0, 2.0]}).to_excel(path, index=False)
    obs = load_observations(path)
    assert sorted(obs["indicator"]) == ["infant_mortality", "neonatal_mortality"]


def test_bundled_national_data_loads_cleanly():
    r = read_observations(config.NATIONAL_DATA_DIR)
    assert r.ok, r.rejected
    assert r.rows_read == len(r.observations) > 200
    assert r.observations["source"].str.startswith("http").all()
    imr = r.observations.query("region == '全国' and indicator == 'infant_mortality' and area == 'total'")
    assert imr.set_index("year").loc[2020, "value"] == pytest.approx(5.4)
