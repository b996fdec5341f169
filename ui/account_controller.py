"""The new-media account part of the window: the account panel's facts and its menu items.

:class:`AccountController` connects the :class:`~ui.account_panel.AccountPanel` (and its menu
list) to the findings file, the browser and the capture path; the window shows it again through
:meth:`AccountController.show` whenever a target is shown, and keeps the panel as
``window.account_panel``. What is stored is then shown by the window (``refresh_target``), and
status messages, errors and "saved" go through the window's status bar.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from inspector.menus import menu_hint, menu_hint_source, status_for_marker
from inspector.profiles import Profile
from inspector.scan.accounts import (
    STALE_INDICATOR,
    PostDate,
    account_hints,
    function_markers,
    function_markers_of,
    latest_post,
)
from inspector.store import (
    AccountFacts,
    AuditEntry,
    EvidenceInfo,
    FindingsError,
    FindingsFile,
    Hint,
    MenuItem,
    Result,
)
from inspector.targets import Kind, State, Target
from ui.scan_controller import scan_date

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# The new-media interaction indicator the account panel's 有 / 无 buttons decide.
INTERACTION_INDICATOR = "M-V3"
# The source of the M-V2 hint the account panel stores when the inspector adopts it.
STALE_HINT_SOURCE = "account_panel"


@dataclass
class MenuLoad:
    """A menu item's page the inspector opened from the list: its markers are looked for as
    soon as it has loaded (``started`` once its own load began, so an earlier page's end is
    not taken for it)."""

    target_key: str
    item_id: str
    url: str
    started: bool = False


class AccountController(QObject):
    """Stores what the inspector records on a new-media account from the account panel.

    Latest post date (typed or read from the page), interaction (which also ticks M-V3), the
    M-V2 hint adopted from the panel, and the account's menu items: added, set by hand or by
    the markers found on their pages, removed, captured as evidence. Each menu item's status
    keeps its M-D2 / M-D3 hint in step.

    Signals:
        account_facts_saved(str): an account's facts were stored; its target key.
        menu_saved(str, str): an account's menu items changed: target key and the item's id
            ("" when items were added).
        menu_checked(str, str): markers were looked for on a menu item's page: target key and
            the item's id (whatever was found).
    """

    account_facts_saved = Signal(str)
    menu_saved = Signal(str, str)
    menu_checked = Signal(str, str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._panel = window.account_panel
        self._checklist = window.checklist
        self._browser = window.browser
        self._menu_load: MenuLoad | None = None
        panel = window.account_panel
        panel.latest_post_edited.connect(self.on_account_panel_latest_post_edited)
        panel.read_from_page_requested.connect(self.on_account_panel_read_from_page_requested)
        panel.interaction_edited.connect(self.on_account_panel_interaction_edited)
        panel.adopt_stale_requested.connect(self.on_account_panel_adopt_stale_requested)
        menus = panel.menu_list
        menus.entries_added.connect(self.on_menu_list_entries_added)
        menus.status_chosen.connect(self.on_menu_list_status_chosen)
        menus.remove_requested.connect(self.on_menu_list_remove_requested)
        menus.open_requested.connect(self.on_menu_list_open_requested)
        menus.detect_requested.connect(self.on_menu_list_detect_requested)
        menus.capture_requested.connect(self.on_menu_list_capture_requested)
        self._browser.load_started.connect(self.on_browser_load_started)
        self._browser.load_finished.connect(self.on_browser_load_finished)

    @property
    def _findings(self) -> FindingsFile:
        return self._window.findings

    @property
    def _profile(self) -> Profile:
        return self._window.profile

    @property
    def _who(self) -> str:
        return self._window.inspector

    def forget_menu_load(self) -> None:
        """Another target is shown: a menu item's page still loading is no longer checked."""
        self._menu_load = None

    def show(
        self, target: Target, results: Sequence[Result], evidence: Sequence[EvidenceInfo]
    ) -> None:
        """The account panel for a new-media target (hidden for websites)."""
        if target.kind != Kind.NEW_MEDIA:
            self._panel.hide()
            return
        facts = self._findings.account_facts(target.key)
        states = {r.indicator_id: r.state for r in results}
        self._panel.show_facts(
            facts,
            stale=self.stale_text(target, facts),
            adopted=states.get(STALE_INDICATOR) == State.PROBLEM,
            today=scan_date(self._findings),
        )
        self._panel.set_interaction_visible(
            INTERACTION_INDICATOR in self._checklist.indicator_ids()
        )
        counts = Counter(e.menu_item for e in evidence if e.menu_item)
        self._panel.menu_list.show_items(self._findings.menu_items(target.key), counts)
        self._panel.show()

    def stale_text(self, target: Target, facts: AccountFacts | None) -> str:
        """The M-V2 hint from an account's stored latest post date; "" when there is none.

        Computed live by the scan's own rule (``account_hints``) against the file's ``as_of``
        or today, so the app and ``inspector scan`` never disagree on the window.
        """
        if facts is None or facts.latest_post is None or self.stale_hint(target, facts) is None:
            return ""
        as_of = scan_date(self._findings)
        try:
            window = int(self._profile.threshold(STALE_INDICATOR, "window_days"))
        except (KeyError, TypeError, ValueError):
            window = 14
        return self.tr(
            "最新发布 {day}，距检查时点 {as_of} 已 {days} 天，超过 {window} 天未更新（M-V2）"
        ).format(
            day=facts.latest_post.isoformat(),
            as_of=as_of.isoformat(),
            days=(as_of - facts.latest_post).days,
            window=window,
        )

    def stale_hint(self, target: Target, facts: AccountFacts | None) -> Hint | None:
        """The M-V2 hint an account's stored latest post date gives, if any."""
        if facts is None or facts.latest_post is None:
            return None
        post = PostDate(facts.latest_post, facts.latest_post_source or "manual", "")
        hints = account_hints(
            target,
            post,
            profile=self._profile,
            as_of=scan_date(self._findings),
            url=target.url or "",
        )
        return next((h for h in hints if h.kind == "account_stale"), None)

    def set_account_facts(
        self,
        *,
        latest_post: tuple[date | None, str] | None = None,
        interaction: bool | None = None,
        reason: str = "",
    ) -> bool:
        """Store the current account's facts: ``latest_post`` as (date or None, its source), or
        None to keep the stored date; ``interaction`` None keeps the stored value. False (and a
        message) when nothing could be stored."""
        target = self._checklist.target
        if target is None or target.kind != Kind.NEW_MEDIA:
            return False
        old = self._findings.account_facts(target.key)
        if latest_post is None:
            day, source = (old.latest_post, old.latest_post_source) if old else (None, "")
        else:
            day, source = latest_post
        if interaction is None and old is not None:
            interaction = old.interaction
        try:
            self._findings.set_account_facts(
                target.key,
                latest_post=day,
                interaction=interaction,
                who=self._who,
                reason=reason,
                source=source or "manual",
            )
        except FindingsError as exc:
            self._window.report_error(self.tr("保存失败"), exc)
            return False
        self._window.refresh_target(target.key)
        self._window.show_saved()
        self.account_facts_saved.emit(target.key)
        return True

    @Slot(object)
    def on_account_panel_latest_post_edited(self, day: date | None) -> None:
        self.set_account_facts(latest_post=(day, "manual"))

    @Slot()
    def on_account_panel_read_from_page_requested(self) -> None:
        target = self._checklist.target
        if target is None:
            return
        url = self._browser.url()
        if not self._browser.to_html(partial(self.on_page_html, target.key, url)):
            self._window.say(self.tr("没有打开的页面"))

    def on_page_html(self, key: str, url: str, html: str) -> None:
        """The page's HTML for "从页面读取": its latest post date goes into the panel."""
        target = self._checklist.target
        if target is None or target.key != key:
            return
        post = latest_post(html, url, platform=target.platform or "", fetched_at=datetime.now(UTC))
        if post is None:
            self._window.say(self.tr("页面上没有找到发布日期，请手工填写并截图留证"), 8000)
            return
        if self.set_account_facts(
            latest_post=(post.day, post.source),
            reason=self.tr("从页面读取：{url} {text}").format(url=url, text=post.text[:80]),
        ):
            self._window.say(
                self.tr("从页面读取到最新发布日期 {day}").format(day=post.day.isoformat()), 8000
            )

    @Slot(bool)
    def on_account_panel_interaction_edited(self, present: bool) -> None:
        target = self._checklist.target
        if target is None or not self.set_account_facts(interaction=present):
            return
        if INTERACTION_INDICATOR not in self._checklist.indicator_ids():
            return
        current = next(
            (
                r
                for r in self._findings.results(target.key)
                if r.indicator_id == INTERACTION_INDICATOR
            ),
            None,
        )
        note = None
        if current is None or not current.note or current.note in self._interaction_notes():
            note = self._interaction_notes()[0 if present else 1]
        self._window.on_checklist_result_edited(
            INTERACTION_INDICATOR, State.OK if present else State.PROBLEM, note
        )

    def _interaction_notes(self) -> tuple[str, str]:
        return (self.tr("有互动功能"), self.tr("无有效互动功能（留言、评论、咨询入口均不可用）"))

    @Slot()
    def on_account_panel_adopt_stale_requested(self) -> None:
        """Adopt the M-V2 hint like any hint, so the result names it: a scan's open one when
        there is one, else the one shown, stored first."""
        target = self._checklist.target
        text = self._panel.stale_text
        if target is None or not text or STALE_INDICATOR not in self._checklist.indicator_ids():
            return
        facts = self._findings.account_facts(target.key)
        hint = self.stale_hint(target, facts)
        if hint is None:
            return
        source = facts.latest_post_source if facts else ""
        note = text + self.tr("；日期来源：{source}").format(source=source or "manual")
        try:
            stored = next(
                (
                    h
                    for h in self._findings.hints(target.key)
                    if h.kind == hint.kind and h.indicator == hint.indicator and h.status == "open"
                ),
                None,
            )
            if stored is None:
                [hint_id] = self._findings.add_hints(target.key, [hint], source=STALE_HINT_SOURCE)
                stored = self._window.shown_hint(hint_id)
            if stored is not None:
                self._window.adopt_hint(stored, note=note)
        except FindingsError as exc:
            self._window.report_error(self.tr("保存失败"), exc)
        self._window.refresh_target(target.key)
        self._window.show_saved()

    # --- menu items -------------------------------------------------------------------------

    def _menu_item(self, key: str, item_id: str) -> MenuItem | None:
        return next((i for i in self._findings.menu_items(key) if i.id == item_id), None)

    def _menu_done(self, key: str, item_id: str) -> None:
        self._window.refresh_target(key)
        self._window.show_saved()
        self.menu_saved.emit(key, item_id)

    @Slot(object)
    def on_menu_list_entries_added(self, entries: list[tuple[str, str]]) -> None:
        target = self._checklist.target
        if target is None or not entries:
            return
        try:
            added = self._findings.add_menu_items(target.key, entries, who=self._who)
        except FindingsError as exc:
            self._window.report_error(self.tr("保存失败"), exc)
            return
        self._menu_done(target.key, "")
        if added:
            self._panel.menu_list.select_item(added[0].id)
        self._window.say(
            self.tr("已添加 {n} 个菜单项，{same} 个与已有的重复未添加").format(
                n=len(added), same=len(entries) - len(added)
            )
        )

    def set_menu_item(
        self,
        item_id: str,
        *,
        status: str | None = None,
        marker: str | None = None,
        url: str | None = None,
        reason: str = "",
    ) -> MenuItem | None:
        """Store a menu item's change for the account shown and keep its M-D2 / M-D3 hint in
        step; None (and a message) when nothing could be stored."""
        target = self._checklist.target
        if target is None:
            return None
        try:
            item = self._findings.set_menu_item(
                item_id, who=self._who, status=status, marker=marker, url=url, reason=reason
            )
            self._sync_menu_hint(target, item)
        except FindingsError as exc:
            self._window.report_error(self.tr("保存失败"), exc)
            self._window.refresh_target(target.key)
            return None
        self._menu_done(target.key, item_id)
        return item

    def _sync_menu_hint(self, target: Target, item: MenuItem, *, removed: bool = False) -> None:
        """The hint a menu item's status gives is open; its other open hints are dismissed.

        A problem status adds its M-D2 / M-D3 hint (or reopens it, when the same one was set
        aside before); back to works or unchecked, or removed, the item's open hints go.
        """
        source = menu_hint_source(item.id)
        hint = None
        if not removed:
            hint = menu_hint(target, item, profile=self._profile, as_of=scan_date(self._findings))
        keep = set(self._findings.add_hints(target.key, [hint], source=source)) if hint else set()
        if removed:
            reason = self.tr("菜单项已删除")
        elif hint is None:
            reason = self.tr("菜单项已改为正常")
        else:
            reason = self.tr("菜单项状态已更改")
        for stored in self._findings.hints(target.key):
            if stored.source != source:
                continue
            if stored.id in keep and stored.status == "dismissed":
                self._findings.set_hint_status(
                    stored.id, "open", who=self._who, reason=self.tr("菜单项再次显示异常")
                )
            elif stored.id not in keep and stored.status == "open":
                self._findings.set_hint_status(stored.id, "dismissed", who=self._who, reason=reason)

    # --- undo ---------------------------------------------------------------------------------

    def undone(self, entry: AuditEntry) -> str | None:
        """Ctrl+Z took back ``entry``: the menu items it touched get the hint their status gives
        again. What was undone, in words; None when it was not a change of the account panel."""
        describe = {
            "set_account_facts": self._facts_undone,
            "set_menu_item": self._menu_edit_undone,
            "remove_menu_item": self._menu_removal_undone,
            "add_menu_items": self._menu_addition_undone,
        }.get(entry.action)
        return None if describe is None else describe(entry)

    def _facts_undone(self, entry: AuditEntry) -> str:
        old, new = entry.old_value or {}, entry.new_value or {}
        day = old.get("latest_post") != new.get("latest_post")
        interaction = old.get("interaction") != new.get("interaction")
        if day and interaction:
            return self.tr("最新发布日期和互动功能")
        return self.tr("互动功能") if interaction else self.tr("最新发布日期")

    def _menu_edit_undone(self, entry: AuditEntry) -> str:
        old, new = entry.old_value, entry.new_value
        self._resync_menu_hints(entry.target_key, [new["id"]])
        if old["status"] != new["status"]:
            return self.tr("菜单项“{name}”的状态").format(name=old["name"])
        return self.tr("菜单项“{name}”的修改").format(name=old["name"])

    def _menu_removal_undone(self, entry: AuditEntry) -> str:
        self._resync_menu_hints(entry.target_key, [entry.old_value["id"]])
        return self.tr("删除菜单项“{name}”").format(name=entry.old_value["name"])

    def _menu_addition_undone(self, entry: AuditEntry) -> str:
        added = entry.new_value
        self._resync_menu_hints(entry.target_key, [i["id"] for i in added])
        if len(added) == 1:
            return self.tr("添加菜单项“{name}”").format(name=added[0]["name"])
        return self.tr("添加的 {n} 个菜单项").format(n=len(added))

    def _resync_menu_hints(self, key: str | None, item_ids: Sequence[str]) -> None:
        """Each item's hint follows its status (or its removal) as it is after the undo."""
        target = self._findings.target(key) if key else None
        if target is None:
            return
        live = {i.id: i for i in self._findings.menu_items(target.key)}
        try:
            for item_id in item_ids:
                item = live.get(item_id) or self._findings.menu_item(item_id)
                if item is not None:
                    self._sync_menu_hint(target, item, removed=item_id not in live)
        except FindingsError as exc:
            self._window.report_error(self.tr("保存失败"), exc)

    @Slot(str, str)
    def on_menu_list_status_chosen(self, item_id: str, status: str) -> None:
        self.set_menu_item(item_id, status=status)

    @Slot(str, str)
    def on_menu_list_remove_requested(self, item_id: str, reason: str) -> None:
        target = self._checklist.target
        item = self._menu_item(target.key, item_id) if target is not None else None
        if target is None or item is None:
            return
        try:
            self._findings.remove_menu_item(item_id, who=self._who, reason=reason)
            self._sync_menu_hint(target, item, removed=True)
        except FindingsError as exc:
            self._window.report_error(self.tr("无法删除菜单项"), exc)
            return
        self._menu_done(target.key, item_id)

    @Slot(str)
    def on_menu_list_open_requested(self, item_id: str) -> None:
        target = self._checklist.target
        item = self._menu_item(target.key, item_id) if target is not None else None
        if target is None or item is None:
            return
        if not item.url:
            self._window.say(
                self.tr("该菜单项没有网址：请在手机上查看，或在浏览器中打开后点“检测页面”")
            )
            return
        self._panel.menu_list.clear_offer()
        self._menu_load = MenuLoad(target.key, item.id, item.url)
        self._browser.load(item.url)

    @Slot(str)
    def on_menu_list_detect_requested(self, item_id: str) -> None:
        target = self._checklist.target
        if target is None:
            return
        url = self._browser.url()
        if not url or url == "about:blank":
            self._window.say(self.tr("没有打开的页面"))
            return
        self._browser.to_html(partial(self.on_menu_page_html, target.key, item_id, url))

    def on_menu_page_html(self, key: str, item_id: str, url: str, html: str) -> None:
        """A menu item's page: a marker found sets the item's status, none offers "works"."""
        target = self._checklist.target
        item = self._menu_item(key, item_id) if target is not None else None
        if target is None or target.key != key or item is None:
            return
        marker = function_markers(html, function_markers_of(self._profile))
        if marker is None:
            self._panel.menu_list.offer_status(item_id, "works")
            self._window.say(self.tr("“{name}”的页面未发现问题标记").format(name=item.name), 8000)
        elif self.set_menu_item(
            item_id,
            status=status_for_marker(marker),
            marker=marker,
            url=None if item.url else url,
            reason=self.tr("页面检测：{url}").format(url=url),
        ):
            self._window.say(
                self.tr("“{name}”的页面显示“{marker}”").format(name=item.name, marker=marker),
                8000,
            )
        self.menu_checked.emit(key, item_id)

    @Slot(str)
    def on_menu_list_capture_requested(self, item_id: str) -> None:
        context = self._window.capture_context()
        item = self._menu_item(context[0].key, item_id) if context is not None else None
        if context is None or item is None:
            return
        hint = menu_hint(context[0], item, profile=self._profile, as_of=scan_date(self._findings))
        self._window.capture_visible(
            context[0].key, hint.indicator if hint else None, menu_item=item
        )

    # --- the browser -------------------------------------------------------------------------

    @Slot()
    def on_browser_load_started(self) -> None:
        if self._menu_load is not None:
            self._menu_load.started = True

    @Slot(bool, int)
    def on_browser_load_finished(self, ok: bool, elapsed_ms: int) -> None:
        """A menu item's page opened from the list has loaded: look for its markers (or offer
        "dead link" when it did not load)."""
        menu = self._menu_load
        if menu is None or not menu.started:
            return
        if not ok and self._browser.url() != menu.url:
            return  # the end of the page shown before, cut short
        self._menu_load = None
        target = self._checklist.target
        if target is None or target.key != menu.target_key:
            return
        if ok:
            self.on_menu_list_detect_requested(menu.item_id)
        else:
            self._panel.menu_list.offer_status(menu.item_id, "dead_link")
            self.menu_checked.emit(menu.target_key, menu.item_id)
