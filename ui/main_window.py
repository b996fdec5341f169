"""The workbench window: targets on the left, the site in the middle, the checklist on the right."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolButton,
    QWidget,
)

from inspector import __version__
from inspector.phone import exif_taken_at, image_files, match_files
from inspector.profiles import Profile, ProfileError, load_profile
from inspector.samples import SampleError, read_sample
from inspector.store import (
    FindingsError,
    FindingsFile,
    Hint,
    MenuItem,
    Result,
    StoredHint,
)
from inspector.tables import TableError
from inspector.targets import Kind, State, Target
from inspector.verdict import Judgement, Verdict, judge
from ui import i18n
from ui.account_controller import AccountController
from ui.account_panel import AccountPanel
from ui.browser import BrowserView
from ui.capture import Capture, CaptureJob, FullPageCapture, MhtmlCapture, capture_visible, now_iso
from ui.checklist import ChecklistPanel
from ui.coordinator import CoordinatorAction
from ui.evidence import (
    EvidenceViewerDialog,
    ImageError,
    ImageFile,
    ThumbnailCache,
    ask_removal_reason,
    images_from_mime,
    read_image_file,
)
from ui.phone_import import PhoneImportDialog
from ui.scan_controller import ScanController
from ui.target_list import TargetListPanel, TargetStatus
from ui.theme import STYLE_SHEET
from ui.workspace import (
    NewWorkspaceDialog,
    SessionMarker,
    UncleanSession,
    recent_files,
    recovery_text,
    remember_recent,
)

TITLE = QT_TRANSLATE_NOOP("MainWindow", "政府网站与政务新媒体检查工作台")
PERSISTENT_SETTING = "browser/persistent_profile"
PHONE_SETTING = "browser/phone_viewport"
MOBILE_AGENT_SETTING = "browser/mobile_agent"
# How many audit rows the crash notice lists.
RECOVERY_ROWS = 10


def judgements(results: Iterable[Result]) -> dict[str, Judgement]:
    """Stored results in the form the verdict engine takes."""
    return {
        r.indicator_id: Judgement(State(r.state), deduction=r.deduction, count=r.count)
        for r in results
    }


def status_of(verdict: Verdict, judged: int) -> TargetStatus:
    """The list's status dot for a verdict: a veto decides at once, else only when complete."""
    if verdict.vetoes:
        return TargetStatus.UNQUALIFIED
    if not verdict.complete:
        return TargetStatus.PARTIAL if judged else TargetStatus.TODO
    return TargetStatus.QUALIFIED if verdict.qualified else TargetStatus.UNQUALIFIED


def default_data_dir() -> Path:
    """The app's data folder (downloads go below it)."""
    from ui.app import data_dir

    return data_dir()


class MainWindow(QMainWindow):
    """The inspector's workbench over one findings file.

    Picking a target opens it in the browser and shows its checklist; every tick, hint decision
    and piece of evidence is written to the findings file at once (there is no Save) and the
    verdict and the list's progress update from what was stored. The window owns the findings
    file it shows and closes it when it closes or when another file is opened.

    Background scans (:attr:`scanner`, a :class:`ScanController`) store each target's hints as
    it finishes; the window then calls :meth:`refresh_target`, so the checklist shows them and the
    list counts the open hints while the rest of the list is still scanned.

    A new-media account's panel (:attr:`account_panel`: latest post, interaction, menu items) is
    wired to the file, the browser and the capture path by :attr:`accounts`, an
    :class:`AccountController`, which the window shows each target through.

    Signals:
        closed: the window has closed; its page, profile and findings file are released.
        target_changed(str): the key of the target now shown.
        result_saved(str, str): a result was written: target key and indicator id.
        evidence_saved(str, int): evidence was stored: target key and evidence id.
        evidence_removed(int): evidence was removed (with its audited reason).
        hint_changed(int): the inspector decided on a hint (adopted, dismissed, reopened).
        capture_failed(str): a capture could not be made; why.
        workspace_changed(str): another findings file is shown; its path.
        account_facts_saved(str), menu_saved(str, str), menu_checked(str, str): relayed from
            :attr:`accounts`, the :class:`AccountController` of the new-media account panel.
    """

    closed = Signal()
    target_changed = Signal(str)
    result_saved = Signal(str, str)
    evidence_saved = Signal(str, int)
    evidence_removed = Signal(int)
    hint_changed = Signal(int)
    capture_failed = Signal(str)
    workspace_changed = Signal(str)
    account_facts_saved = Signal(str)
    menu_saved = Signal(str, str)
    menu_checked = Signal(str, str)

    def __init__(
        self,
        findings: FindingsFile,
        profile: Profile,
        *,
        inspector: str | None = None,
        data_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setStyleSheet(STYLE_SHEET)
        self._findings = findings
        self._profile = profile
        self._who = inspector or findings.inspector
        self._targets: dict[str, Target] = {}
        self._dialog: QWidget | None = None
        self._jobs: dict[str, CaptureJob] = {}
        self._session: SessionMarker | None = None
        self.recovered: UncleanSession | None = None
        self._data_dir = data_dir or default_data_dir()
        self._thumbnails = ThumbnailCache(self._evidence_bytes, self)

        persistent = QSettings().value(PERSISTENT_SETTING, False, type=bool)
        self.target_list = TargetListPanel(self)
        self.browser = BrowserView(
            self, downloads_dir=self._data_dir / "downloads", persistent=persistent
        )
        self.checklist = ChecklistPanel(profile, self)
        self.checklist.set_thumbnailer(self._thumbnails.get)
        self.account_panel = AccountPanel(self.checklist)
        self.checklist.insert_panel(self.account_panel)
        self.account_panel.hide()
        self._thumbnails.ready.connect(self.checklist.update_thumbnail)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        for widget in (self.target_list, self.browser, self.checklist):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 700, 450])
        self.target_list.setMinimumWidth(200)
        self.checklist.setMinimumWidth(360)
        self.setCentralWidget(self.splitter)

        self._file_label = QLabel(self)
        self._saved_label = QLabel(self)
        self._saved_label.setObjectName("savedLabel")
        self._busy = QProgressBar(self)
        self._busy.setObjectName("busyBar")
        self._busy.setFixedWidth(120)
        self._busy.setFixedHeight(12)
        self._busy.setTextVisible(False)
        self._busy.hide()
        self._scan_bar = QProgressBar(self)
        self._scan_bar.setObjectName("scanBar")
        self._scan_bar.setFixedWidth(160)
        self._scan_bar.setFixedHeight(14)
        self._scan_bar.setFormat("%v / %m")
        self._scan_stop = QToolButton(self)
        self._scan_stop.setObjectName("scanStop")
        self._scan_stop.setAutoRaise(True)
        for widget in (self._scan_bar, self._scan_stop):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)
        self.statusBar().addPermanentWidget(self._busy)
        self.scanner = ScanController(findings, profile, parent=self)
        self.statusBar().addPermanentWidget(self._file_label)
        self.statusBar().addPermanentWidget(self._saved_label)

        self._build_actions()
        self._build_menus()
        self._retranslate()
        self.target_list.target_selected.connect(self.on_target_list_target_selected)
        self.checklist.result_edited.connect(self.on_checklist_result_edited)
        self.checklist.hint_action.connect(self.on_checklist_hint_action)
        self.checklist.evidence_activated.connect(self.on_checklist_evidence_activated)
        self.checklist.evidence_remove_requested.connect(
            self.on_checklist_evidence_remove_requested
        )
        self.checklist.images_dropped.connect(self.on_checklist_images_dropped)
        self.checklist.images_refused.connect(self.on_checklist_images_refused)
        self.browser.load_finished.connect(self.on_browser_load_finished)
        self.browser.certificate_error.connect(self.on_browser_certificate_error)
        self.scanner.started.connect(self.on_scanner_started)
        self.scanner.progress.connect(self.on_scanner_progress)
        self.scanner.target_finished.connect(self.on_scanner_target_finished)
        self.scanner.finished.connect(self.on_scanner_finished)
        self.scanner.failed.connect(self.on_scanner_failed)
        self._scan_stop.clicked.connect(self.on_stop_scan_action_triggered)
        # After the window's own browser slots, so a page's load is reported before its menu
        # item is checked.
        self.accounts = AccountController(self)
        self.accounts.account_facts_saved.connect(self.account_facts_saved)
        self.accounts.menu_saved.connect(self.menu_saved)
        self.accounts.menu_checked.connect(self.menu_checked)

        self.resize(1400, 900)
        self._restore_settings()
        self._show_workspace()

    # --- public ----------------------------------------------------------------------------

    @property
    def findings(self) -> FindingsFile:
        """The findings file shown (owned by the window)."""
        return self._findings

    @property
    def profile(self) -> Profile:
        """The indicator profile of the findings file."""
        return self._profile

    @property
    def inspector(self) -> str:
        """Whose name goes into every result and audit row."""
        return self._who

    @property
    def saved_text(self) -> str:
        """What the status bar says about saving."""
        return self._saved_label.text()

    @property
    def dialog(self) -> QWidget | None:
        """The last dialog or message box the window opened (tests answer it)."""
        return self._dialog

    def current_target(self) -> Target | None:
        """The target shown, if any."""
        key = self.target_list.current_key()
        return None if key is None else self._targets.get(key)

    def select_target(self, key: str) -> bool:
        """Show a target by key; False if the file has no such target."""
        return self.target_list.select(key)

    def set_workspace(self, findings: FindingsFile, profile: Profile) -> None:
        """Show another findings file; the previous one is closed."""
        self._cancel_jobs()
        self.scanner.set_workspace(findings, profile)
        old, self._findings = self._findings, findings
        self._profile = profile
        self._who = findings.inspector if self._who == old.inspector else self._who
        if old is not findings:
            old.close()
            if self._session is not None:
                self._session.end()
        self._thumbnails.clear()
        self.checklist.set_profile(profile)
        self._show_workspace()
        self.workspace_changed.emit(str(findings.path))

    def verdict(self, key: str) -> Verdict:
        """The verdict of a target from what is stored now."""
        return judge(self._profile, self._targets[key], judgements(self._findings.results(key)))

    def refresh_target(self, key: str) -> None:
        """Show what the file now holds for a target (after a scan added hints, say)."""
        if key not in self._targets:
            return
        if self.target_list.current_key() == key:
            self._show_target(key, reload_page=False)
        else:
            results = self._findings.results(key)
            verdict = judge(self._profile, self._targets[key], judgements(results))
            self.target_list.set_status(key, status_of(verdict, len(results)))
            self._count_hints(self._findings.hints(key), [key])

    def scan(self, keys: Sequence[str]) -> bool:
        """Scan these targets in the background; False when a scan runs or none is known."""
        targets = [self._targets[k] for k in keys if k in self._targets]
        if not self.scanner.start(targets):
            if self.scanner.running:
                self.say(self.tr("正在扫描，请等待完成或先停止扫描。"))
            return False
        self._set_scanning(True, len(targets))
        return True

    def _set_scanning(self, scanning: bool, total: int = 0) -> None:
        """Progress bar and stop button while a scan runs; the scan actions otherwise."""
        if scanning:
            self._scan_bar.setRange(0, total)
            self._scan_bar.setValue(0)
        self._scan_bar.setVisible(scanning)
        self._scan_stop.setVisible(scanning)
        self.stop_scan_action.setEnabled(scanning)
        self.scan_current_action.setEnabled(not scanning)
        self.scan_all_action.setEnabled(not scanning)

    # --- building ----------------------------------------------------------------------------

    def _action(
        self,
        slot: object,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        *,
        local_to: Sequence[QWidget] = (),
    ) -> QAction:
        """An action with its shortcuts; ``local_to`` limits them to keyboard focus in those
        widgets (a digit typed into a web page or the search box must stay a digit)."""
        action = QAction(self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        if local_to:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            for widget in local_to:
                widget.addAction(action)
        else:
            self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        lists = (self.checklist, self.target_list)
        self.new_action = self._action(self.on_new_action_triggered, [key.New])
        self.open_action = self._action(self.on_open_action_triggered, [key.Open])
        self.import_action = self._action(self.on_import_action_triggered, ["Ctrl+I"])
        self.import_phone_action = self._action(self.on_import_phone_action_triggered)
        self.quit_action = self._action(self.close, [key.Quit])
        self.undo_action = self._action(self.on_undo_action_triggered, [key.Undo])
        self.problem_action = self._action(
            partial(self.choose_current, State.PROBLEM), ["1"], local_to=lists
        )
        self.ok_action = self._action(partial(self.choose_current, State.OK), ["2"], local_to=lists)
        self.na_action = self._action(partial(self.choose_current, State.NA), ["3"], local_to=lists)
        self.clear_action = self._action(partial(self.choose_current, None), ["0"], local_to=lists)
        self.next_indicator_action = self._action(
            partial(self.checklist.move_current, 1), ["J", "Down"], local_to=[self.checklist]
        )
        self.previous_indicator_action = self._action(
            partial(self.checklist.move_current, -1), ["K", "Up"], local_to=[self.checklist]
        )
        self.next_action = self._action(self.on_next_action_triggered, ["Ctrl+Down"])
        self.previous_action = self._action(self.on_previous_action_triggered, ["Ctrl+Up"])
        self.search_action = self._action(self.target_list.focus_search, [key.Find])
        self.focus_list_action = self._action(self.target_list.setFocus, ["Alt+1"])
        self.focus_page_action = self._action(self.browser.view.setFocus, ["Alt+2"])
        self.focus_checklist_action = self._action(self.focus_checklist, ["Alt+3"])
        self.capture_visible_action = self._action(
            self.on_capture_visible_action_triggered, ["Ctrl+Shift+S"]
        )
        self.capture_full_action = self._action(
            self.on_capture_full_action_triggered, ["Ctrl+Shift+F"]
        )
        self.capture_mhtml_action = self._action(
            self.on_capture_mhtml_action_triggered, ["Ctrl+Shift+M"]
        )
        self.add_image_action = self._action(self.on_add_image_action_triggered, ["Ctrl+Shift+A"])
        self.paste_image_action = self._action(
            self.on_paste_image_action_triggered, [key.Paste], local_to=lists
        )
        self.view_evidence_action = self._action(
            self.on_view_evidence_action_triggered, ["Ctrl+Shift+E"]
        )
        self.scan_current_action = self._action(self.on_scan_current_action_triggered, ["F6"])
        self.scan_all_action = self._action(self.on_scan_all_action_triggered, ["Shift+F6"])
        self.stop_scan_action = self._action(self.on_stop_scan_action_triggered, ["Ctrl+F6"])
        self.stop_scan_action.setEnabled(False)
        self.persistent_action = self._action(self.on_persistent_action_triggered)
        self.persistent_action.setCheckable(True)
        self.persistent_action.setChecked(self.browser.persistent)
        self.phone_action = self._action(self.on_phone_action_triggered, ["Ctrl+Shift+P"])
        self.phone_action.setCheckable(True)
        self.phone_action.setChecked(QSettings().value(PHONE_SETTING, True, type=bool))
        self.mobile_agent_action = self._action(self.on_mobile_agent_action_triggered)
        self.mobile_agent_action.setCheckable(True)
        self.mobile_agent_action.setChecked(
            QSettings().value(MOBILE_AGENT_SETTING, True, type=bool)
        )
        self.about_action = self._action(self.on_about_action_triggered)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES:
            action = QAction(name, self.language_group)
            action.setCheckable(True)
            action.setChecked(code == i18n.current_language())
            action.setData(code)
            action.triggered.connect(self.on_language_action_triggered)
            self.language_actions[code] = action
        for action in (self.browser.focus_address_action, self.browser.external_action):
            self.addAction(action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.new_action)
        self.file_menu.addAction(self.open_action)
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self.on_recent_menu_about_to_show)
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.import_phone_action)
        self.coordinator_action = CoordinatorAction(self)  # opens the quarter view
        self.file_menu.addAction(self.coordinator_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.undo_action)

        self.check_menu = bar.addMenu("")
        for action in (self.problem_action, self.ok_action, self.na_action, self.clear_action):
            self.check_menu.addAction(action)
        self.check_menu.addSeparator()
        self.check_menu.addAction(self.next_indicator_action)
        self.check_menu.addAction(self.previous_indicator_action)
        self.check_menu.addSeparator()
        for action in (self.scan_current_action, self.scan_all_action, self.stop_scan_action):
            self.check_menu.addAction(action)

        self.evidence_menu = bar.addMenu("")
        for action in (
            self.capture_visible_action,
            self.capture_full_action,
            self.capture_mhtml_action,
        ):
            self.evidence_menu.addAction(action)
        self.evidence_menu.addSeparator()
        self.evidence_menu.addAction(self.add_image_action)
        self.evidence_menu.addAction(self.paste_image_action)
        self.evidence_menu.addSeparator()
        self.evidence_menu.addAction(self.view_evidence_action)

        self.nav_menu = bar.addMenu("")
        for action in (self.next_action, self.previous_action, self.search_action):
            self.nav_menu.addAction(action)
        self.nav_menu.addSeparator()
        for action in (
            self.focus_list_action,
            self.focus_page_action,
            self.focus_checklist_action,
        ):
            self.nav_menu.addAction(action)

        self.browser_menu = bar.addMenu("")
        for action in (
            self.browser.back_action,
            self.browser.forward_action,
            self.browser.reload_action,
            self.browser.focus_address_action,
            self.browser.external_action,
        ):
            self.browser_menu.addAction(action)
        self.browser_menu.addSeparator()
        self.browser_menu.addAction(self.phone_action)
        self.browser_menu.addAction(self.mobile_agent_action)
        self.browser_menu.addSeparator()
        self.browser_menu.addAction(self.persistent_action)

        self.language_menu = bar.addMenu("语言 / Language")
        self.language_menu.addActions(self.language_group.actions())

        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

    def _retranslate(self) -> None:
        """Every text the window sets itself, in the UI's language."""
        title = QCoreApplication.translate("MainWindow", TITLE)
        QGuiApplication.setApplicationDisplayName(title)
        self.setWindowTitle(title)
        texts = (
            (self.file_menu, self.tr("文件(&F)")),
            (self.recent_menu, self.tr("最近打开(&R)")),
            (self.edit_menu, self.tr("编辑(&E)")),
            (self.check_menu, self.tr("检查(&C)")),
            (self.evidence_menu, self.tr("证据(&V)")),
            (self.nav_menu, self.tr("导航(&N)")),
            (self.browser_menu, self.tr("浏览(&B)")),
            (self.help_menu, self.tr("帮助(&H)")),
        )
        for menu, text in texts:
            menu.setTitle(text)
        actions = (
            (self.new_action, self.tr("新建检查结果文件…"), self.tr("从抽查名单新建检查结果文件")),
            (
                self.open_action,
                self.tr("打开检查结果文件…"),
                self.tr("打开一个检查结果文件（.sqlite）"),
            ),
            (
                self.import_action,
                self.tr("导入抽查名单…"),
                self.tr("把抽查名单（CSV/XLSX）中的对象加入当前文件"),
            ),
            (
                self.import_phone_action,
                self.tr("导入手机截图文件夹…"),
                self.tr("把一个文件夹中的手机截图按文件名对应到账号，作为证据导入"),
            ),
            (self.quit_action, self.tr("退出"), ""),
            (
                self.undo_action,
                self.tr("撤销上一次检查结论"),
                self.tr("撤销本人最近一次勾选（记入审计日志）"),
            ),
            (self.problem_action, self.tr("当前指标记为“问题”"), ""),
            (self.ok_action, self.tr("当前指标记为“正常”"), ""),
            (self.na_action, self.tr("当前指标记为“不适用”"), ""),
            (self.clear_action, self.tr("清除当前指标的结论"), ""),
            (self.next_indicator_action, self.tr("下一项指标"), ""),
            (self.previous_indicator_action, self.tr("上一项指标"), ""),
            (self.next_action, self.tr("下一个检查对象"), ""),
            (self.previous_action, self.tr("上一个检查对象"), ""),
            (self.search_action, self.tr("搜索检查对象"), ""),
            (self.focus_list_action, self.tr("转到检查对象列表"), ""),
            (self.focus_page_action, self.tr("转到网页"), ""),
            (self.focus_checklist_action, self.tr("转到检查指标"), ""),
            (
                self.capture_visible_action,
                self.tr("截取可见区域"),
                self.tr("把网页当前可见部分保存为证据（PNG）"),
            ),
            (
                self.capture_full_action,
                self.tr("截取整页"),
                self.tr("滚动截取整个网页并拼接保存为证据（PNG）"),
            ),
            (
                self.capture_mhtml_action,
                self.tr("保存网页快照（MHTML）"),
                self.tr("把网页连同样式和图片保存为一个 MHTML 文件，作为证据"),
            ),
            (
                self.add_image_action,
                self.tr("从文件添加图片…"),
                self.tr("添加手机截图等图片作为证据"),
            ),
            (self.paste_image_action, self.tr("粘贴图片"), self.tr("把剪贴板中的图片作为证据")),
            (
                self.view_evidence_action,
                self.tr("查看证据"),
                self.tr("查看当前指标（或对象）最新的证据"),
            ),
            (
                self.persistent_action,
                self.tr("保留登录状态（持久化浏览器配置）"),
                self.tr("不勾选时，浏览器不在本机保留任何 Cookie、缓存和登录状态"),
            ),
            (
                self.phone_action,
                self.tr("新媒体账号用手机尺寸显示"),
                self.tr("打开新媒体账号时，页面以 390×844 的手机尺寸居中显示"),
            ),
            (
                self.mobile_agent_action,
                self.tr("新媒体账号用手机浏览器标识"),
                self.tr("打开新媒体账号时以手机微信浏览器的身份访问，网站仍用电脑浏览器标识"),
            ),
            (
                self.scan_current_action,
                self.tr("扫描当前对象"),
                self.tr("在后台扫描当前网站，提示出现在相应指标旁"),
            ),
            (
                self.scan_all_action,
                self.tr("扫描全部对象"),
                self.tr("在后台逐个扫描名单中的全部网站，结果随完成随显示"),
            ),
            (self.stop_scan_action, self.tr("停止扫描"), self.tr("停止扫描；已完成对象的提示保留")),
            (self.about_action, self.tr("关于"), ""),
        )
        for action, text, tip in actions:
            action.setText(text)
            action.setStatusTip(tip)
            action.setToolTip(tip or text)
        self._retranslate_file_label()
        self._scan_stop.setText(self.tr("停止"))
        self._scan_stop.setToolTip(self.tr("停止扫描"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            for code, action in self.language_actions.items():
                action.setChecked(code == i18n.current_language())
        super().changeEvent(event)

    def _retranslate_file_label(self) -> None:
        self._file_label.setText(
            self.tr("{name} · {quarter} · 检查员：{who}").format(
                name=self._findings.path.name, quarter=self._findings.quarter, who=self._who
            )
            if self._findings is not None
            else ""
        )

    # --- workspace ---------------------------------------------------------------------------

    def _show_workspace(self) -> None:
        targets = self._findings.targets()
        self._targets = {t.key: t for t in targets}
        self.target_list.set_targets(targets)
        self._refresh_statuses(self._findings.results())
        self._count_hints(self._findings.hints(), list(self._targets))
        self._retranslate_file_label()
        self._file_label.setToolTip(str(self._findings.path))
        self._saved_label.clear()
        self._begin_session()
        remember_recent(self._findings.path)
        if targets:
            last = QSettings().value(self._last_target_setting())
            if not (isinstance(last, str) and last in self._targets):
                last = targets[0].key
            # Silently, then shown here: the list may already have had this key selected.
            self.target_list.select(last, notify=False)
            self.on_target_list_target_selected(last)
        else:
            self.checklist.clear()
            self.browser.clear()

    def _begin_session(self) -> None:
        """Mark the file open; if the last session of it crashed, say so (nothing is lost)."""
        self._session = SessionMarker(self._findings.path)
        previous = self._session.previous()
        self._session.begin(now_iso())
        self.recovered = None
        if previous is None:
            return
        if previous.still_running:
            self.statusBar().showMessage(
                self.tr("该文件同时在另一个窗口中打开（进程 {pid}），修改会互相可见。").format(
                    pid=previous.pid
                ),
                10000,
            )
            return
        self.recovered = previous
        entries = list(reversed(self._findings.audit_log()[-RECOVERY_ROWS:]))
        headline, changes = recovery_text(previous, entries)
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("上次未正常关闭"), headline, parent=self
        )
        box.setObjectName("recoveryBox")
        box.setInformativeText(changes)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._dialog = box

    def _last_target_setting(self) -> str:
        """Where the last target shown in this file is remembered, so work resumes there."""
        digest = hashlib.sha1(str(self._findings.path.resolve()).encode("utf-8")).hexdigest()
        return f"last_target/{digest[:16]}"

    def _refresh_statuses(self, results: Sequence[Result]) -> None:
        by_target: dict[str, list[Result]] = {}
        for result in results:
            by_target.setdefault(result.target_key, []).append(result)
        statuses = {}
        for key, target in self._targets.items():
            mine = by_target.get(key)
            if not mine:
                # Nothing judged is "not started" for any target with indicators; skipping the
                # verdict engine here keeps opening a 1,000-target file quick.
                statuses[key] = TargetStatus.TODO
                continue
            statuses[key] = status_of(judge(self._profile, target, judgements(mine)), len(mine))
        self.target_list.set_statuses(statuses)

    def _count_hints(self, hints: Iterable[StoredHint], keys: Sequence[str]) -> None:
        """Show the open hints of these targets in the list (targets without any show none)."""
        counts = dict.fromkeys(keys, 0)
        for hint in hints:
            if hint.status == "open" and hint.target_key in counts:
                counts[hint.target_key] += 1
        self.target_list.set_hint_counts(counts)

    def _show_target(self, key: str, *, reload_page: bool) -> None:
        target = self._targets[key]
        results = self._findings.results(key)
        hints = self._findings.hints(key)
        evidence = self._findings.evidence(key)
        self.checklist.show_target(target, results, hints, evidence)
        self._count_hints(hints, [key])
        verdict = judge(self._profile, target, judgements(results))
        self.checklist.show_verdict(verdict)
        self.target_list.set_status(key, status_of(verdict, len(results)))
        self.accounts.show(target, results, evidence)
        if reload_page:
            account = target.kind == Kind.NEW_MEDIA
            self.browser.set_phone_viewport(account and self.phone_action.isChecked())
            self.browser.set_mobile_agent(account and self.mobile_agent_action.isChecked())
            if target.url:
                self.browser.load(target.url)
            else:
                self.browser.clear()

    # --- messages (the controllers speak through these too) ----------------------------------

    def say(self, text: str, timeout_ms: int = 6000) -> None:
        """A passing message in the status bar."""
        self.statusBar().showMessage(text, timeout_ms)

    def _saved(self, text: str) -> None:
        self._saved_label.setText(text)
        self._saved_label.setToolTip(self.tr("每次修改立即写入检查结果文件"))

    def show_saved(self) -> None:
        """Say in the status bar that a change was just written to the findings file."""
        self._saved(self.tr("已保存 {time}").format(time=f"{datetime.now():%H:%M:%S}"))

    def report_error(self, title: str, error: Exception | str) -> None:
        """Say what went wrong without blocking: the box is window-modal and opened, not exec'd."""
        self.say(f"{title}：{error}", 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, str(error), parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._dialog = box

    def _open_file(self, path: Path) -> bool:
        try:
            findings = FindingsFile.open(path)
        except FindingsError as exc:
            self.report_error(self.tr("无法打开"), exc)
            return False
        try:
            profile = load_profile(findings.profile_id)
        except (ProfileError, OSError, KeyError) as exc:
            findings.close()
            self.report_error(self.tr("指标体系不可用"), exc)
            return False
        self.set_workspace(findings, profile)
        self.say(self.tr("已打开 {path}").format(path=path), 5000)
        return True

    # --- the current indicator ---------------------------------------------------------------

    def choose_current(self, state: State | None) -> None:
        """Judge the current indicator (the keys 1, 2, 3 and 0)."""
        if not self.checklist.choose_current(state):
            self.say(self.tr("请先用 J / K 或 ↑ / ↓ 选择一项指标"), 4000)

    def focus_checklist(self) -> None:
        """Put the keyboard on the checklist (1 / 2 / 3, J / K)."""
        self.checklist.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.checklist.current_indicator() is None:
            self.checklist.move_current(1)

    # --- evidence ----------------------------------------------------------------------------

    def _evidence_bytes(self, evidence_id: int) -> bytes:
        try:
            return self._findings.evidence_data(evidence_id)
        except FindingsError:
            return b""

    def capture_context(self) -> tuple[Target, str | None] | None:
        """The target shown and its current indicator, which new evidence is attached to."""
        target = self.checklist.target
        if target is None or self.browser.page is None:
            self.say(self.tr("请先选择检查对象"))
            return None
        return target, self.checklist.current_indicator()

    def _where(self, indicator: str | None) -> str:
        return indicator or self.tr("整个对象")

    def _store(
        self,
        findings: FindingsFile,
        target_key: str,
        indicator: str | None,
        capture: Capture,
        *,
        menu_item: str | None = None,
    ) -> int | None:
        if findings is not self._findings:
            self.say(self.tr("检查结果文件已切换，该证据未保存"))
            return None
        try:
            evidence_id = findings.add_evidence(
                target_key,
                capture.data,
                kind=capture.kind,
                mime=capture.mime,
                who=self._who,
                url=capture.url or None,
                captured_at=capture.captured_at,
                indicator_id=indicator,
                filename=capture.filename,
                note=capture.note,
                menu_item=menu_item,
            )
        except FindingsError as exc:
            self.report_error(self.tr("证据未保存"), exc)
            return None
        self.refresh_target(target_key)
        self._saved(
            self.tr("已保存证据 #{id} {time}").format(
                id=evidence_id, time=f"{datetime.now():%H:%M:%S}"
            )
        )
        self.say(
            self.tr("证据 #{id} 已保存，附于 {where}").format(
                id=evidence_id, where=self._where(indicator)
            )
        )
        self.evidence_saved.emit(target_key, evidence_id)
        return evidence_id

    def _start_job(self, kind: str, job: CaptureJob, action: QAction) -> None:
        context = self.capture_context()
        if context is None:
            job.deleteLater()
            return
        target, indicator = context
        self._jobs[kind] = job
        action.setEnabled(False)
        job.finished.connect(
            partial(self.on_job_finished, kind, self._findings, target.key, indicator)
        )
        job.failed.connect(partial(self.on_job_failed, kind))
        job.progress.connect(self.on_job_progress)
        self._busy.setRange(0, 0)
        self._busy.show()
        job.start()

    def _end_job(self, kind: str) -> None:
        job = self._jobs.pop(kind, None)
        if job is not None:
            job.deleteLater()
        actions = {"fullpage": self.capture_full_action, "mhtml": self.capture_mhtml_action}
        actions[kind].setEnabled(True)
        if not self._jobs:
            self._busy.hide()

    def _cancel_jobs(self) -> None:
        for job in list(self._jobs.values()):
            job.cancel()

    def _add_images(self, images: Sequence[ImageFile], indicator: str | None) -> None:
        target = self.checklist.target
        if target is None:
            return
        for image in images:
            capture = Capture(
                "phone",
                image.data,
                image.mime,
                "",
                now_iso(),
                image.filename,
                self.tr("外部图片：{name}").format(name=image.filename),
            )
            self._store(self._findings, target.key, indicator, capture)

    def open_evidence(self, evidence_id: int) -> EvidenceViewerDialog | None:
        """Show one piece of evidence in the viewer (opened, not exec'd)."""
        info = next((e for e in self._findings.evidence() if e.id == evidence_id), None)
        if info is None:
            return None
        target = self._targets.get(info.target_key)
        indicator = ""
        if info.indicator_id:
            try:
                found = self._profile.indicator(info.indicator_id)
                indicator = f"{found.id} {i18n.pick(found.name_zh, found.name_en)}"
            except KeyError:
                indicator = info.indicator_id
        viewer = EvidenceViewerDialog(
            info,
            self._findings.evidence_data(evidence_id),
            target_name=target.name if target else info.target_key,
            indicator=indicator,
            parent=self,
        )
        viewer.remove_requested.connect(self.remove_evidence)
        viewer.open()
        self._dialog = viewer
        return viewer

    @Slot(int, str)
    def remove_evidence(self, evidence_id: int, reason: str) -> bool:
        """Remove evidence for a reason (audited with its hash); False when it failed."""
        try:
            info = next((e for e in self._findings.evidence() if e.id == evidence_id), None)
            self._findings.remove_evidence(evidence_id, who=self._who, reason=reason)
        except FindingsError as exc:
            self.report_error(self.tr("无法删除证据"), exc)
            return False
        if info is not None:
            self.refresh_target(info.target_key)
        self._saved(
            self.tr("已删除证据 #{id} {time}").format(
                id=evidence_id, time=f"{datetime.now():%H:%M:%S}"
            )
        )
        self.evidence_removed.emit(evidence_id)
        return True

    # --- slots: targets, checklist, hints ------------------------------------------------------

    @Slot(str)
    def on_target_list_target_selected(self, key: str) -> None:
        if key not in self._targets:
            return
        self.accounts.forget_menu_load()
        self._show_target(key, reload_page=True)
        QSettings().setValue(self._last_target_setting(), key)
        self.target_changed.emit(key)

    @Slot(str, object, object)
    def on_checklist_result_edited(
        self, indicator_id: str, state: State | None, note: str | None
    ) -> None:
        target = self.checklist.target
        if target is None:
            return
        try:
            self._findings.set_result(target.key, indicator_id, state, who=self._who, note=note)
        except FindingsError as exc:
            self.report_error(self.tr("保存失败"), exc)
            self._show_target(target.key, reload_page=False)
            return
        self._show_target(target.key, reload_page=False)
        self.show_saved()
        self.result_saved.emit(target.key, indicator_id)

    def shown_hint(self, hint_id: int) -> StoredHint | None:
        """A hint of the target shown, by id."""
        target = self.checklist.target
        hints = self._findings.hints(target.key) if target is not None else []
        return next((h for h in hints if h.id == hint_id), None)

    @Slot(int, str)
    def on_checklist_hint_action(self, hint_id: int, action: str) -> None:
        hint = self.shown_hint(hint_id)
        if hint is None:
            return
        if action in ("open", "open_source"):
            self.browser.load(hint.url if action == "open" else hint.found_on)
            return
        try:
            if action == "adopt":
                self.adopt_hint(hint)
            else:
                status = "dismissed" if action == "dismiss" else "open"
                self._findings.set_hint_status(hint.id, status, who=self._who)
        except FindingsError as exc:
            self.report_error(self.tr("保存失败"), exc)
        self.refresh_target(hint.target_key)
        self.show_saved()
        self.hint_changed.emit(hint.id)

    def adopt_hint(self, hint: StoredHint, *, note: str | None = None) -> None:
        """Tick the hint's indicator as a problem from this hint, then mark the hint confirmed.

        The result's note, unless it has one, is ``note`` or else the hint's detail. Two commits,
        in this order: should the second be lost, the result already names its hint, which is
        what matters for the report.
        """
        if hint.indicator and hint.indicator in self.checklist.indicator_ids():
            current = next(
                (
                    r
                    for r in self._findings.results(hint.target_key)
                    if r.indicator_id == hint.indicator
                ),
                None,
            )
            keep = current is not None and bool(current.note)
            self._findings.set_result(
                hint.target_key,
                hint.indicator,
                State.PROBLEM,
                who=self._who,
                note=None if keep else (note or hint.detail),
                from_hint=hint.id,
            )
            self.result_saved.emit(hint.target_key, hint.indicator)
        self._findings.set_hint_status(hint.id, "confirmed", who=self._who)

    @Slot(int)
    def on_checklist_evidence_activated(self, evidence_id: int) -> None:
        self.open_evidence(evidence_id)

    @Slot(int)
    def on_checklist_evidence_remove_requested(self, evidence_id: int) -> None:
        dialog = ask_removal_reason(self, evidence_id)
        dialog.textValueSelected.connect(
            lambda reason: reason.strip() and self.remove_evidence(evidence_id, reason.strip())
        )
        self._dialog = dialog

    @Slot(object, object)
    def on_checklist_images_dropped(self, images: list[ImageFile], indicator: str | None) -> None:
        self._add_images(images, indicator)

    @Slot(object)
    def on_checklist_images_refused(self, problems: list[str]) -> None:
        self.report_error(self.tr("未添加"), "\n".join(problems))

    # --- slots: browser and capture --------------------------------------------------------------

    @Slot(bool)
    def on_phone_action_triggered(self, checked: bool) -> None:
        QSettings().setValue(PHONE_SETTING, checked)
        target = self.current_target()
        if target is not None and target.kind == Kind.NEW_MEDIA:
            self.browser.set_phone_viewport(checked)

    @Slot(bool)
    def on_mobile_agent_action_triggered(self, checked: bool) -> None:
        QSettings().setValue(MOBILE_AGENT_SETTING, checked)
        target = self.current_target()
        if target is not None and target.kind == Kind.NEW_MEDIA:
            self.browser.set_mobile_agent(checked)
            url = self.browser.url()
            if url and url != "about:blank":
                self.browser.load(url)

    @Slot(bool, int)
    def on_browser_load_finished(self, ok: bool, elapsed_ms: int) -> None:
        if ok:
            self.say(self.tr("页面加载完成，用时 {ms} ms").format(ms=elapsed_ms), 8000)
        else:
            self.say(self.tr("页面加载失败"), 8000)

    @Slot(str, str)
    def on_browser_certificate_error(self, url: str, description: str) -> None:
        """Record the error as a machine hint of the target shown (deduplicated by the file)."""
        target = self.checklist.target
        if target is None:
            return
        hint = Hint(
            kind="tls_error",
            indicator=None,
            url=url,
            found_on=self.browser.url() or url,
            detail=description,
        )
        try:
            self._findings.add_hints(target.key, [hint], source="browser")
        except FindingsError as exc:
            self.say(str(exc))
            return
        self.refresh_target(target.key)

    @Slot()
    def on_capture_visible_action_triggered(self) -> None:
        context = self.capture_context()
        if context is not None:
            target, indicator = context
            self.capture_visible(target.key, indicator)

    def capture_visible(
        self, target_key: str, indicator: str | None, *, menu_item: MenuItem | None = None
    ) -> int | None:
        """Store the visible page as evidence (of a menu item too, when given)."""
        try:
            capture = capture_visible(self.browser.view, self.browser.url())
        except ValueError as exc:
            self.say(self.tr("截图失败：{error}").format(error=exc))
            self.capture_failed.emit(str(exc))
            return None
        if menu_item is not None:
            capture = replace(capture, note=self.tr("菜单项：{name}").format(name=menu_item.name))
        return self._store(
            self._findings,
            target_key,
            indicator,
            capture,
            menu_item=menu_item.id if menu_item else None,
        )

    @Slot()
    def on_capture_full_action_triggered(self) -> None:
        page = self.browser.page
        if page is None or "fullpage" in self._jobs:
            return
        job = FullPageCapture(self.browser.view, page, self.browser.url())
        self.say(self.tr("正在截取整页…"), 0)
        self._start_job("fullpage", job, self.capture_full_action)

    @Slot()
    def on_capture_mhtml_action_triggered(self) -> None:
        page = self.browser.page
        if page is None or "mhtml" in self._jobs:
            return
        job = MhtmlCapture(page, self.browser.url(), self)
        self.say(self.tr("正在保存网页快照…"), 0)
        self._start_job("mhtml", job, self.capture_mhtml_action)

    def on_job_finished(
        self,
        kind: str,
        findings: FindingsFile,
        target_key: str,
        indicator: str | None,
        capture: Capture,
    ) -> None:
        self._end_job(kind)
        self._store(findings, target_key, indicator, capture)

    def on_job_failed(self, kind: str, reason: str) -> None:
        self._end_job(kind)
        self.say(self.tr("未能保存证据：{reason}").format(reason=reason), 10000)
        self.capture_failed.emit(reason)

    @Slot(int, int)
    def on_job_progress(self, done: int, total: int) -> None:
        self._busy.setRange(0, max(total, 1))
        self._busy.setValue(done)

    @Slot()
    def on_add_image_action_triggered(self) -> None:
        if self.checklist.target is None:
            return
        dialog = QFileDialog(self, self.tr("添加图片证据"), str(Path.home()))
        dialog.setNameFilters([self.tr("图片 (*.png *.jpg *.jpeg *.webp)")])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.on_image_dialog_files_selected)
        dialog.open()
        self._dialog = dialog

    @Slot(list)
    def on_image_dialog_files_selected(self, paths: list[str]) -> None:
        images, problems = [], []
        for path in paths:
            try:
                images.append(read_image_file(Path(path)))
            except ImageError as exc:
                problems.append(str(exc))
        self._add_images(images, self.checklist.current_indicator())
        if problems:
            self.on_checklist_images_refused(problems)

    @Slot()
    def on_paste_image_action_triggered(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        images, problems = images_from_mime(mime) if mime is not None else ([], [])
        if not images and not problems:
            self.say(self.tr("剪贴板中没有图片"))
            return
        self.checklist.paste_images(images)
        if problems:
            self.on_checklist_images_refused(problems)

    @Slot()
    def on_view_evidence_action_triggered(self) -> None:
        target = self.checklist.target
        if target is None:
            return
        indicator = self.checklist.current_indicator()
        items = self._findings.evidence(target.key)
        mine = [e for e in items if e.indicator_id == indicator] or items
        if not mine:
            self.say(self.tr("该对象还没有证据"))
            return
        self.open_evidence(mine[-1].id)

    # --- scans -------------------------------------------------------------------------------

    @Slot()
    def on_scan_current_action_triggered(self) -> None:
        target = self.current_target()
        if target is not None:
            self.scan([target.key])

    @Slot()
    def on_scan_all_action_triggered(self) -> None:
        self.scan(self.target_list.target_keys())

    @Slot()
    def on_stop_scan_action_triggered(self) -> None:
        self.scanner.cancel()

    @Slot(int)
    def on_scanner_started(self, total: int) -> None:
        self._set_scanning(True, total)
        self.say(self.tr("开始扫描 {count} 个对象…").format(count=total), 0)

    @Slot(int, int, str)
    def on_scanner_progress(self, done: int, total: int, text: str) -> None:
        self._scan_bar.setValue(done)
        self.say(
            self.tr("扫描中 {done}/{total}：{text}").format(done=done, total=total, text=text), 0
        )

    @Slot(str)
    def on_scanner_target_finished(self, key: str) -> None:
        self.refresh_target(key)

    @Slot()
    def on_scanner_finished(self) -> None:
        self._set_scanning(False)
        if self.scanner.was_cancelled:
            self.say(self.tr("扫描已停止，已完成对象的提示已保存。"))
        else:
            self.say(self.tr("扫描完成，提示已保存。"))

    @Slot(str)
    def on_scanner_failed(self, message: str) -> None:
        self.report_error(self.tr("扫描失败"), message)

    @Slot(bool)
    def on_persistent_action_triggered(self, checked: bool) -> None:
        QSettings().setValue(PERSISTENT_SETTING, checked)
        self.browser.set_persistent(checked)
        self.say(
            self.tr("浏览器将保留登录状态（Cookie 保存在本机）")
            if checked
            else self.tr("浏览器使用无痕配置：关闭后不保留任何浏览数据")
        )

    @Slot()
    def on_language_action_triggered(self) -> None:
        code = self.sender().data()
        if code != i18n.current_language():
            i18n.apply_language(code)

    # --- slots: navigation, undo, files ----------------------------------------------------------

    @Slot()
    def on_next_action_triggered(self) -> None:
        if not self.target_list.select_next():
            self.say(self.tr("已是最后一个检查对象"), 3000)

    @Slot()
    def on_previous_action_triggered(self) -> None:
        if not self.target_list.select_previous():
            self.say(self.tr("已是第一个检查对象"), 3000)

    @Slot()
    def on_undo_action_triggered(self) -> None:
        """Take back the inspector's last change (a result, account facts, a menu item) and show
        the target as it is again, saying what was undone."""
        try:
            entry = self._findings.undo_last(self._who)
        except FindingsError as exc:
            self.report_error(self.tr("无法撤销"), exc)
            return
        if entry is None or entry.target_key is None:
            self.say(self.tr("没有可撤销的操作"), 4000)
            return
        what = self.accounts.undone(entry) or entry.indicator_id or ""
        if self.target_list.current_key() != entry.target_key:
            self.target_list.select(entry.target_key)
        else:
            self._show_target(entry.target_key, reload_page=False)
        if entry.indicator_id:
            self.checklist.set_current(entry.indicator_id)
        self._saved(
            self.tr("已撤销 {what} {time}").format(what=what, time=f"{datetime.now():%H:%M:%S}")
        )
        self.say(self.tr("已撤销：{what}").format(what=what))

    @Slot()
    def on_new_action_triggered(self) -> None:
        dialog = NewWorkspaceDialog(self, inspector=self._who, folder=self._findings.path.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self.on_new_dialog_accepted, dialog))
        dialog.open()
        self._dialog = dialog

    def on_new_dialog_accepted(self, dialog: NewWorkspaceDialog) -> None:
        self.create_workspace(
            dialog.sample_path,
            dialog.output_path,
            inspector=dialog.inspector,
            quarter=dialog.quarter,
            profile_id=dialog.profile_id,
        )

    def create_workspace(
        self, sample: Path, output: Path, *, inspector: str, quarter: str, profile_id: str
    ) -> bool:
        """Create a findings file from a sample list and show it; False (and a message) if not."""
        try:
            profile = load_profile(profile_id)
            sample_list = read_sample(sample)
            findings = FindingsFile.create(
                output, quarter=quarter, inspector=inspector, profile_id=profile.id
            )
        except (ProfileError, SampleError, TableError, FindingsError, OSError) as exc:
            self.report_error(self.tr("无法新建"), exc)
            return False
        try:
            added = findings.add_targets(sample_list.targets, who=inspector)
        except FindingsError as exc:
            findings.close()
            self.report_error(self.tr("无法新建"), exc)
            return False
        self._who = inspector
        self.set_workspace(findings, profile)
        text = self.tr("已新建 {name}：{n} 个检查对象，{bad} 行有误未导入。").format(
            name=output.name, n=added, bad=len(sample_list.problems)
        )
        self.say(text, 10000)
        if sample_list.problems:
            box = QMessageBox(
                QMessageBox.Icon.Information, self.tr("新建检查结果文件"), text, parent=self
            )
            box.setDetailedText(
                "\n".join(
                    self.tr("第 {row} 行：{message}").format(row=p.row, message=p.message)
                    for p in sample_list.problems
                )
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self._dialog = box
        return True

    @Slot()
    def on_open_action_triggered(self) -> None:
        dialog = QFileDialog(self, self.tr("打开检查结果文件"), str(self._findings.path.parent))
        dialog.setNameFilters([self.tr("检查结果文件 (*.sqlite *.db)"), self.tr("所有文件 (*)")])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_open_dialog_file_selected)
        dialog.open()
        self._dialog = dialog

    @Slot(str)
    def on_open_dialog_file_selected(self, path: str) -> None:
        self._open_file(Path(path))

    @Slot()
    def on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        current = self._findings.path.resolve()
        files = [p for p in recent_files() if p.resolve() != current]
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(partial(self._open_file, path))
        if not files:
            self.recent_menu.addAction(self.tr("（无）")).setEnabled(False)

    @Slot()
    def on_import_action_triggered(self) -> None:
        dialog = QFileDialog(self, self.tr("导入抽查名单"), str(Path.home()))
        dialog.setNameFilters([self.tr("抽查名单 (*.csv *.xlsx)"), self.tr("所有文件 (*)")])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_import_dialog_file_selected)
        dialog.open()
        self._dialog = dialog

    @Slot(str)
    def on_import_dialog_file_selected(self, path: str) -> None:
        try:
            sample = read_sample(Path(path))
            changed = self._findings.add_targets(sample.targets, who=self._who)
        except (SampleError, TableError, FindingsError, OSError) as exc:
            self.report_error(self.tr("导入失败"), exc)
            return
        current = self.target_list.current_key()
        self._show_workspace()
        if current is not None:
            self.target_list.select(current)
        text = self.tr("名单中 {n} 个对象，新增或更新 {changed} 个；{bad} 行有误未导入。").format(
            n=len(sample.targets), changed=changed, bad=len(sample.problems)
        )
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("导入抽查名单"), text, parent=self)
        if sample.problems:
            box.setDetailedText(
                "\n".join(
                    self.tr("第 {row} 行：{message}").format(row=p.row, message=p.message)
                    for p in sample.problems
                )
            )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._dialog = box

    @Slot()
    def on_import_phone_action_triggered(self) -> None:
        dialog = QFileDialog(self, self.tr("导入手机截图文件夹"), str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.on_phone_folder_selected)
        dialog.open()
        self._dialog = dialog

    @Slot(str)
    def on_phone_folder_selected(self, folder: str) -> None:
        self.import_phone_folder(Path(folder))

    def import_phone_folder(self, folder: Path) -> PhoneImportDialog | None:
        """List a folder's images matched to accounts by file name, for the inspector to
        complete and confirm (opened, not exec'd); None when the folder has no images."""
        try:
            files = image_files(folder)
        except OSError as exc:
            self.report_error(self.tr("导入失败"), exc)
            return None
        if not files:
            self.say(self.tr("文件夹中没有图片（PNG、JPEG、WebP）"))
            return None
        accounts = [t for t in self._targets.values() if t.kind == Kind.NEW_MEDIA]
        dialog = PhoneImportDialog(folder, match_files(files, accounts), accounts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self.on_phone_dialog_accepted, dialog))
        dialog.open()
        self._dialog = dialog
        return dialog

    def on_phone_dialog_accepted(self, dialog: PhoneImportDialog) -> None:
        self.import_phone_files(dialog.assignments())

    def import_phone_files(self, assignments: Sequence[tuple[Path, str]]) -> int:
        """Store each file as phone evidence of its account, with its file time and EXIF time
        in the note; the number stored."""
        stored, problems = 0, []
        for path, key in assignments:
            try:
                image = read_image_file(path)
                modified = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
            except (ImageError, OSError) as exc:
                problems.append(str(exc))
                continue
            note = self.tr("手机截图：{name}；文件时间 {time}").format(
                name=image.filename, time=modified.isoformat(timespec="seconds")
            )
            taken = exif_taken_at(image.data)
            if taken is not None:
                note += self.tr("；拍摄时间（EXIF）{time}").format(
                    time=taken.isoformat(timespec="seconds")
                )
            capture = Capture("phone", image.data, image.mime, "", now_iso(), image.filename, note)
            if self._store(self._findings, key, None, capture) is not None:
                stored += 1
        self.say(self.tr("已导入 {n} 张手机截图").format(n=stored), 8000)
        if problems:
            self.on_checklist_images_refused(problems)
        return stored

    @Slot()
    def on_about_action_triggered(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("关于"))
        box.setIconPixmap(self.windowIcon().pixmap(48, 48))
        title = QCoreApplication.translate("MainWindow", TITLE)
        box.setText(f"<b>{title}</b><br>" + self.tr("版本 {version}").format(version=__version__))
        box.setInformativeText(
            self.tr(
                "供检查员抽查政府网站和政务新媒体使用：勾选指标、记录备注、保存证据，结论与得分实时计算，"
                "所有结果即时保存在检查结果文件中。"
            )
            + "<br><br>"
            + self.tr("指标体系：{name}").format(
                name=i18n.pick(self._profile.name_zh, self._profile.name_en)
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._dialog = box

    # --- settings and closing ----------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.value("main_window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.setValue("main_window/splitter", self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the layout, release the page before its profile, close the findings file."""
        self._cancel_jobs()
        self.scanner.close_soon()
        self._save_settings()
        self.browser.dispose()
        self._findings.close()
        if self._session is not None:
            self._session.end()
        super().closeEvent(event)
        self.closed.emit()
