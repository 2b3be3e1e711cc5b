"""A tester's pass over session 183's detectors (session 184): legitimate cohorts and file
names they refused, pinned as passing, beside the leaks they must still find."""

from __future__ import annotations

import pytest

from analysis.privacy import file_name_identifier

# ------------------------------------------------- 1. Han words in a file name that are no names
HAN_WORDS = [
    "方法.csv",  # method
    "方案.csv",  # protocol
    "方差.csv",  # variance
    "程序.csv",
    "白蛋白.csv",  # albumin
    "白细胞.csv",  # white cells
    "白介素.csv",  # interleukin
    "叶酸.csv",  # folate
    "高危.csv",
    "高龄.csv",
    "金属.csv",
    "马上.csv",
    "林业.csv",
    "江苏.csv",  # provinces and cities: a study site
    "武汉.csv",
    "郑州.csv",
    "苏州_2023.csv",
    "沈阳.csv",
    "黄芪.csv",  # herbs: a TCM study
    "陈皮.csv",
    "何首乌.csv",
]


@pytest.mark.parametrize("name", HAN_WORDS)
def test_han_word_in_file_name_is_no_name(name):
    assert file_name_identifier(name) is None


@pytest.mark.parametrize(
    "name", ["王小明.csv", "李雪.csv", "陈静.csv", "刘洋_labs.csv", "山田太郎.csv"]
)
def test_han_name_in_file_name_is_still_found(name):
    assert file_name_identifier(name) == "name"
