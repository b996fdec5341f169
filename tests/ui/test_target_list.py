"""The target list's filters: kind, region, status and text narrow the list together."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inspector.targets import Kind, Target
from ui.target_list import TargetListPanel, TargetStatus

TARGETS = [
    Target(
        "site:a", Kind.WEBSITE, "海口市人民政府", url="http://www.haikou.gov.cn/", region="海口市"
    ),
    Target(
        "site:b", Kind.WEBSITE, "三亚市人民政府", url="http://www.sanya.gov.cn/", region="三亚市"
    ),
    Target(
        "site:c", Kind.WEBSITE, "海口市教育局", url="http://edu.haikou.gov.cn/", region="海口市"
    ),
    Target("account:wechat:hk", Kind.NEW_MEDIA, "海口发布", platform="wechat", region="海口市"),
]


def panel(qtbot: QtBot) -> TargetListPanel:
    widget = TargetListPanel()
    qtbot.addWidget(widget)
    widget.set_targets(TARGETS)
    return widget


def choose(combo_name: str, widget: TargetListPanel, text: str) -> None:
    combo = getattr(widget, combo_name)
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def test_the_region_filter_offers_the_list_s_regions_and_narrows_it(qtbot: QtBot) -> None:
    widget = panel(qtbot)
    regions = [widget._region.itemText(i) for i in range(widget._region.count())]
    assert regions == ["全部地区", "三亚市", "海口市"]
    choose("_region", widget, "海口市")
    assert widget.visible_keys() == ["site:a", "site:c", "account:wechat:hk"]
    choose("_kind", widget, "网站")
    assert widget.visible_keys() == ["site:a", "site:c"]


def test_the_status_filter_shows_what_is_left_to_do(qtbot: QtBot) -> None:
    widget = panel(qtbot)
    widget.set_statuses({"site:a": TargetStatus.QUALIFIED, "site:b": TargetStatus.UNQUALIFIED})
    choose("_status", widget, "不合格")
    assert widget.visible_keys() == ["site:b"]
    choose("_status", widget, "未开始")
    assert widget.visible_keys() == ["site:c", "account:wechat:hk"]


def test_selecting_a_filtered_out_target_clears_every_filter(qtbot: QtBot) -> None:
    widget = panel(qtbot)
    choose("_region", widget, "三亚市")
    choose("_status", widget, "合格")
    assert widget.visible_keys() == []
    assert widget.select("site:c")
    assert len(widget.visible_keys()) == len(TARGETS)
