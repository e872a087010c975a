"""The bundled national data (``data/national``): every figure names the official publication it
comes from, or says that it could not be traced; reports cite those publications."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from childplan_analysis.core import config
from childplan_analysis.io.sources import load_observations
from childplan_analysis.report.build import data_quality_notes
from childplan_analysis.report.sources import source_notes

NATIONAL_CSV = config.NATIONAL_DATA_DIR / "observations.csv"
REGISTER_CSV = config.NATIONAL_DATA_DIR.parent / "sources" / "national_publications.csv"
ADDITIONS_CSV = config.NATIONAL_DATA_DIR.parent / "sources" / "national_additions.csv"
#: Issuing bodies of the official publications cited.
ISSUERS = ("国家统计局", "国家卫生健康委员会", "国家卫生计生委", "教育部", "国务院新闻办公室",
           "国家疾病预防控制局", "联合国儿童基金会、国务院妇女儿童工作委员会办公室、国家统计局",
           "北京市卫生计生委信息中心", "重庆市统计局")
UNTRACED = "出处未溯源"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(NATIONAL_CSV, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return load_observations(config.NATIONAL_DATA_DIR)


def test_every_row_names_its_publication_or_says_it_is_untraced(raw):
    assert "publication" in raw.columns
    assert raw.columns.get_loc("publication") == raw.columns.get_loc("source") + 1
    untraced = raw["publication"].str.strip() == ""
    assert raw.loc[untraced, "note"].str.contains(UNTRACED).all()
    assert not raw.loc[~untraced, "note"].str.contains(UNTRACED).any()
    cited = raw.loc[~untraced, "publication"]
    assert cited.str.startswith(ISSUERS).all(), sorted(set(cited[~cited.str.startswith(ISSUERS)]))
    assert cited.str.contains(r"\d{4}年").all()  # every citation dates its publication
    assert untraced.sum() < len(raw) / 4


def test_register_covers_every_source_page(raw):
    register = pd.read_csv(REGISTER_CSV, dtype=str, keep_default_na=False)
    assert not register.duplicated(["source", "indicator", "year"]).any()
    pages = set(register.loc[register["indicator"] == "", "source"])
    additions = pd.read_csv(ADDITIONS_CSV, dtype=str, keep_default_na=False)
    assert additions["publication"].str.startswith(ISSUERS).all()
    assert set(raw.loc[~raw["source"].isin(additions["source_url"]), "source"]) <= pages
    whole = register[register["indicator"] == ""]
    assert (whole["publication"].ne("") | whole["trace_note"].str.startswith(UNTRACED)).all()


def test_official_statistics_pages_are_traced(raw):
    nbs = raw[raw["source"].str.contains("stats.gov.cn/english/PressRelease")]
    assert len(nbs) and nbs["publication"].str.startswith("国家统计局《").all()
    assert nbs["publication"].str.contains("统计监测报告").all()


@pytest.mark.parametrize(("indicator", "year", "value", "issuer"), [
    ("compulsory_education_retention", 2021, 95.4, "教育部《2021年全国教育事业发展统计公报》"),
    ("myopia_primary", 2022, 36.7, "国家疾病预防控制局"),
    ("myopia_junior", 2022, 71.4, "国家疾病预防控制局"),
    ("myopia_senior", 2022, 81.2, "国家疾病预防控制局"),
])
def test_official_figures_added_with_their_source(national, indicator, year, value, issuer):
    row = national[(national["indicator"] == indicator) & (national["year"] == year)
                   & (national["region"] == "全国") & (national["area"] == "total")]
    assert len(row) == 1
    assert row["value"].iloc[0] == pytest.approx(value)
    assert row["publication"].iloc[0].startswith(issuer)
    assert row["source"].iloc[0].startswith("http")


def test_loader_keeps_the_publication_of_every_row(raw, national):
    keys = ["indicator", "year", "area", "source"]  # regions are normalised on loading
    assert not raw.duplicated(keys).any()
    loaded = pd.DataFrame({c: national[c].to_numpy() for c in [*keys, "publication"]})
    both = loaded.merge(raw.assign(year=raw["year"].astype("int64")), on=keys, suffixes=("", "_file"))
    assert len(both) == len(raw) == len(national)
    assert (both["publication"] == both["publication_file"]).all()


def test_source_notes_cite_publications_by_use(national):
    notes = source_notes(national)
    assert notes[0].startswith("数据出处：")
    counts = national["publication"].replace("", pd.NA).dropna().value_counts()
    top, n = counts.index[0], counts.iloc[0]
    assert f"{top}（{n}条）" in notes[0]
    assert all(p in notes[0] for p in counts.index)
    missing = int((national["publication"] == "").sum())
    assert notes[1].startswith(f"另有{missing}条观测值未注明官方出处")
    en = source_notes(national, "en")
    assert en[0].startswith("Official publications: ") and f"{top} ({n})" in en[0]
    assert source_notes(national.drop(columns="publication")) == []


def test_data_quality_notes_end_with_the_sources(national):
    results = pd.DataFrame({"n_points": [3], "status": ["on_track"], "reason": [""], "warnings": [""]})
    notes = data_quality_notes(national, results)
    assert notes[-2].startswith("数据出处：") and "国家疾病预防控制局" in notes[-2]


def test_report_cites_the_official_publications(built_reports, national):
    page = (built_reports / "national_children_2021_2030" / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    assert "数据出处：" in text
    assert "国家统计局《2022年〈中国儿童发展纲要（2021—2030年）〉统计监测报告》" in text
    assert "教育部《2021年全国教育事业发展统计公报》" in text
    assert "北京市卫生计生委信息中心" not in text  # a national report cites the national figures' sources


# ---------------------------------------------------------------- the column through the loaders
def test_publication_is_read_under_its_chinese_heading_and_kept_as_written(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("地区,指标,年份,数值,来源,出处\n"
                 "甲,婴儿死亡率,2021,5.0,http://example.org/a, 国家统计局《2021年监测报告》，2023年4月 \n"
                 "甲,婴儿死亡率,2022,4.9,http://example.org/a,\n", encoding="utf-8")
    obs = load_observations(f)
    assert obs["publication"].tolist() == ["国家统计局《2021年监测报告》，2023年4月", ""]


def test_files_with_and_without_publication_load_together(tmp_path):
    (tmp_path / "a.csv").write_text("region,indicator,year,value,publication\n甲,婴儿死亡率,2021,5,教育部《公报》\n",
                                    encoding="utf-8")
    (tmp_path / "b.csv").write_text("region,indicator,year,value\n乙,婴儿死亡率,2021,6\n", encoding="utf-8")
    obs = load_observations(tmp_path)
    assert dict(zip(obs["region"], obs["publication"], strict=True)) == {"甲": "教育部《公报》", "乙": ""}
    (tmp_path / "a.csv").unlink()
    assert "publication" not in load_observations(tmp_path).columns


def test_source_notes_cite_only_the_regions_reported(national):
    nation = source_notes(national, regions=["全国"])[0]
    assert "北京市卫生计生委信息中心" not in nation and "重庆市统计局" not in nation
    assert "北京市卫生计生委信息中心《2017年北京市卫生工作统计资料简编》，2018年3月（15条）" in \
        source_notes(national, regions=["北京市(户籍人口)"])[0]
    results = pd.DataFrame({"region": ["全国"], "n_points": [3], "status": ["on_track"], "reason": [""],
                            "warnings": [""]})
    assert data_quality_notes(national, results)[-2] == nation


def test_batch_region_file_keeps_the_publication(national, tmp_path):
    from childplan_analysis.batch.jobs import region_csv

    one = national[national["region"] == "全国"]
    path = tmp_path / "data.csv"
    path.write_bytes(region_csv(one))
    again = load_observations(path)
    assert (again["publication"].to_numpy() == one["publication"].to_numpy()).all()
