"""The account panel: what the inspector establishes about a new-media account (issue 6).

Shown above the checklist for new-media targets. It holds the latest post date behind M-V2 (typed,
picked, or read from the page shown in the browser), whether the account offers interaction
(M-V3), and the account's menu items (:class:`ui.menu_list.MenuListPanel`, M-D2 / M-D3). The panel
only presents and forwards; the window stores the facts in the findings file and hands back what
is stored, together with the M-V2 hint computed from it.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.store import AccountFacts
from ui.menu_list import MenuListPanel

# The earliest date the edit takes.
EARLIEST = QDate(2000, 1, 1)

# How the page reader's sources are named to the inspector.
SOURCE_LABELS = {
    "manual": QT_TRANSLATE_NOOP("AccountPanel", "手工填写"),
    "script-var": QT_TRANSLATE_NOOP("AccountPanel", "页面脚本变量"),
    "json": QT_TRANSLATE_NOOP("AccountPanel", "页面数据"),
    "list": QT_TRANSLATE_NOOP("AccountPanel", "页面列表时间"),
    "meta": QT_TRANSLATE_NOOP("AccountPanel", "页面元数据"),
}


def to_qdate(day: date) -> QDate:
    """The QDate of a date."""
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    """The date of a QDate."""
    return date(value.year(), value.month(), value.day())


class AccountPanel(QFrame):
    """Latest post date (M-V2) and interaction (M-V3) of the account shown.

    Signals:
        latest_post_edited(object): the inspector entered a date (``date``, or None: cleared).
        read_from_page_requested: read the latest post date from the page in the browser.
        interaction_edited(bool): interaction present (True) or not (False).
        adopt_stale_requested: record M-V2 as a problem from the stale hint shown.
    """

    latest_post_edited = Signal(object)
    read_from_page_requested = Signal()
    interaction_edited = Signal(bool)
    adopt_stale_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountPanel")
        self._shown: date | None = None
        self._source = ""
        self._stale = ""
        self._adopted = False
        self._edited = False  # the inspector changed the date since it was last shown
        self._today = date.today()

        self._title = QLabel(self)
        self._title.setObjectName("accountTitle")
        self._post_label = QLabel(self)
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("latestPostEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMinimumDate(EARLIEST)
        self.date_edit.dateChanged.connect(self.on_date_edit_date_changed)
        self.date_edit.editingFinished.connect(self.on_date_edit_editing_finished)
        self.date_edit.calendarWidget().clicked.connect(self.on_date_edit_editing_finished)
        self.read_button = QPushButton(self)
        self.read_button.setObjectName("readPostButton")
        self.read_button.clicked.connect(self.read_from_page_requested)
        self._source_label = QLabel(self)
        self._source_label.setObjectName("accountSource")

        self.stale_card = QFrame(self)
        self.stale_card.setObjectName("hintCard")
        self.stale_label = QLabel(self.stale_card)
        self.stale_label.setObjectName("hintText")
        self.stale_label.setWordWrap(True)
        self.adopt_button = QToolButton(self.stale_card)
        self.adopt_button.setObjectName("hintButton")
        self.adopt_button.setProperty("action", "adopt")
        self.adopt_button.clicked.connect(self.adopt_stale_requested)
        card = QHBoxLayout(self.stale_card)
        card.setContentsMargins(6, 3, 4, 3)
        card.addWidget(self.stale_label, 1)
        card.addWidget(self.adopt_button, 0, Qt.AlignmentFlag.AlignTop)

        self._interaction_label = QLabel(self)
        self.interaction_yes = QToolButton(self)
        self.interaction_no = QToolButton(self)
        self._interaction = QButtonGroup(self)
        for button, choice in ((self.interaction_yes, "ok"), (self.interaction_no, "problem")):
            button.setObjectName("stateButton")
            button.setProperty("choice", choice)
            button.setCheckable(True)
            self._interaction.addButton(button)
        self._interaction.buttonClicked.connect(self.on_interaction_button_clicked)
        self.menu_list = MenuListPanel(self)

        post = QHBoxLayout()
        post.setSpacing(6)
        post.addWidget(self._post_label)
        post.addWidget(self.date_edit)
        post.addWidget(self.read_button)
        post.addWidget(self._source_label, 1)
        # The title shares its line with interaction: every line here is one less indicator
        # visible below on a laptop screen.
        head = QHBoxLayout()
        head.setSpacing(4)
        head.addWidget(self._title)
        head.addStretch(1)
        head.addWidget(self._interaction_label)
        head.addSpacing(2)
        head.addWidget(self.interaction_yes)
        head.addWidget(self.interaction_no)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(3)
        layout.addLayout(head)
        layout.addLayout(post)
        layout.addWidget(self.stale_card)
        layout.addWidget(self.menu_list)
        self.retranslate()
        self.show_facts(None, stale="")

    # --- content ---------------------------------------------------------------------------------

    @property
    def latest_post(self) -> date | None:
        """The date stored and shown (None: not entered yet)."""
        return self._shown

    @property
    def stale_text(self) -> str:
        """The M-V2 hint shown ("" when the date is within the window or unknown)."""
        return self._stale

    @property
    def interaction(self) -> bool | None:
        """Interaction as shown: True, False or None (not checked yet)."""
        if self.interaction_yes.isChecked():
            return True
        if self.interaction_no.isChecked():
            return False
        return None

    def show_facts(
        self,
        facts: AccountFacts | None,
        *,
        stale: str,
        adopted: bool = False,
        today: date | None = None,
    ) -> None:
        """Show what is stored, with the M-V2 hint computed from it (``""``: none).

        With no date stored the edit offers ``today`` (the monitoring point), greyed, so typing
        or picking starts near the likely answer; nothing is stored until the inspector edits.
        """
        self._shown = facts.latest_post if facts else None
        self._source = facts.latest_post_source if facts and facts.latest_post else ""
        self._today = today or date.today()
        self._edited = False
        self.date_edit.blockSignals(True)
        self.date_edit.setMaximumDate(to_qdate(self._today + timedelta(days=366)))
        self.date_edit.setDate(to_qdate(self._shown or self._today))
        self.date_edit.blockSignals(False)
        self._set_empty(self._shown is None)
        interaction = facts.interaction if facts else None
        self._interaction.setExclusive(False)
        self.interaction_yes.setChecked(interaction is True)
        self.interaction_no.setChecked(interaction is False)
        self._interaction.setExclusive(True)
        self._stale = stale
        self._adopted = adopted
        self.stale_card.setVisible(bool(stale))
        self.stale_card.setProperty("status", "confirmed" if adopted else "open")
        self.stale_card.style().unpolish(self.stale_card)
        self.stale_card.style().polish(self.stale_card)
        self.adopt_button.setEnabled(not adopted)
        self._retranslate_values()

    def set_interaction_visible(self, visible: bool) -> None:
        """Hide the interaction row when the profile has no M-V3."""
        for widget in (self._interaction_label, self.interaction_yes, self.interaction_no):
            widget.setVisible(visible)

    # --- slots -----------------------------------------------------------------------------------

    def _set_empty(self, empty: bool) -> None:
        self.date_edit.setProperty("empty", empty)
        self.date_edit.style().unpolish(self.date_edit)
        self.date_edit.style().polish(self.date_edit)

    @Slot()
    def on_date_edit_date_changed(self) -> None:
        self._edited = True
        self._set_empty(False)

    @Slot()
    def on_date_edit_editing_finished(self) -> None:
        if not self._edited:
            return
        self._edited = False
        day = from_qdate(self.date_edit.date())
        if day != self._shown:
            self._shown = day
            self.latest_post_edited.emit(day)

    @Slot()
    def on_interaction_button_clicked(self) -> None:
        self.interaction_edited.emit(self.interaction_yes.isChecked())

    # --- language --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text in the UI's language."""
        self._title.setText(self.tr("新媒体账号"))
        self._post_label.setText(self.tr("最新发布"))
        self.date_edit.setToolTip(self.tr("最新一条发布的日期（M-V2）；可手工填写或从页面读取"))
        self.read_button.setText(self.tr("从页面读取"))
        self.read_button.setToolTip(self.tr("从浏览器中当前页面读取最新发布日期"))
        self._interaction_label.setText(self.tr("互动功能 (M-V3)"))
        self.interaction_yes.setText(self.tr("有"))
        self.interaction_yes.setToolTip(self.tr("留言、评论或咨询入口可用：M-V3 记为正常"))
        self.interaction_no.setText(self.tr("无"))
        self.interaction_no.setToolTip(self.tr("没有有效的互动功能：M-V3 记为问题"))
        self._retranslate_values()

    def _retranslate_values(self) -> None:
        source = SOURCE_LABELS.get(self._source, self._source)
        self._source_label.setText(
            self.tr("来源：{source}").format(
                source=QCoreApplication.translate("AccountPanel", source)
            )
            if source
            else self.tr("未填写")
        )
        self.stale_label.setText(self._stale)
        self.adopt_button.setText(self.tr("已记为问题") if self._adopted else self.tr("采纳为问题"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
