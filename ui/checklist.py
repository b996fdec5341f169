"""The checklist of one target: each indicator judged problem / ok / not applicable, and the verdict.

Beside each indicator sit the machine's hints for it (each with a link to its proof and the
inspector's decision: adopt as a problem, or dismiss) and thumbnails of the evidence attached to
it. One indicator is *current* (highlighted): the keys 1 / 2 / 3 judge it, J / K (or the arrow
keys) move, and captured or dropped evidence goes to it. Images dropped on a row go to that row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.profiles import Indicator, Profile
from inspector.samples import PLATFORM_LABELS
from inspector.store import EvidenceInfo, Result, StoredHint
from inspector.targets import Kind, State, Target
from inspector.verdict import Verdict
from ui.evidence import EvidenceStrip, ImageFile, can_accept, images_from_mime
from ui.i18n import is_english, pick

# Group order and headings (translated where shown).
GROUPS = (
    ("veto", QT_TRANSLATE_NOOP("ChecklistPanel", "单项否决")),
    ("deduction", QT_TRANSLATE_NOOP("ChecklistPanel", "扣分指标")),
    ("bonus", QT_TRANSLATE_NOOP("ChecklistPanel", "加分指标")),
)
GROUP_TIPS = {
    "veto": QT_TRANSLATE_NOOP("ChecklistPanel", "任何一项有问题即为不合格"),
    "deduction": QT_TRANSLATE_NOOP("ChecklistPanel", "从 100 分中扣分"),
    "bonus": QT_TRANSLATE_NOOP("ChecklistPanel", "仅门户网站，达到加分线后计算"),
}
# The three choices, in button order, with their keys.
CHOICES = (
    (State.PROBLEM, QT_TRANSLATE_NOOP("IndicatorRow", "问题"), "1"),
    (State.OK, QT_TRANSLATE_NOOP("IndicatorRow", "正常"), "2"),
    (State.NA, QT_TRANSLATE_NOOP("IndicatorRow", "不适用"), "3"),
)
# Hint kinds in words (the scan engine may add more; unknown kinds show as they are).
HINT_KINDS = {
    "unreachable": QT_TRANSLATE_NOOP("HintCard", "无法访问"),
    "blocked": QT_TRANSLATE_NOOP("HintCard", "被拦截，需人工查看"),
    "homepage_stale": QT_TRANSLATE_NOOP("HintCard", "首页长期未更新"),
    "column_stale": QT_TRANSLATE_NOOP("HintCard", "栏目长期未更新"),
    "column_blank": QT_TRANSLATE_NOOP("HintCard", "空白栏目"),
    "under_construction": QT_TRANSLATE_NOOP("HintCard", "栏目建设中"),
    "broken_link": QT_TRANSLATE_NOOP("HintCard", "链接无法打开"),
    "broken_image": QT_TRANSLATE_NOOP("HintCard", "图片无法显示"),
    "pagination_desync": QT_TRANSLATE_NOOP("HintCard", "分页不一致"),
    "soft_404": QT_TRANSLATE_NOOP("HintCard", "错误页面"),
    "missing_site_code": QT_TRANSLATE_NOOP("HintCard", "缺少网站标识码"),
    "missing_icp": QT_TRANSLATE_NOOP("HintCard", "缺少 ICP 备案号"),
    "missing_police_record": QT_TRANSLATE_NOOP("HintCard", "缺少公安备案号"),
    "account_stale": QT_TRANSLATE_NOOP("HintCard", "账号长期未更新"),
    "function_unusable": QT_TRANSLATE_NOOP("HintCard", "功能无法使用"),
    "tls_error": QT_TRANSLATE_NOOP("HintCard", "证书错误"),
}
MAX_REASONS = 6

Thumbnailer = Callable[[EvidenceInfo], QPixmap]


def points_text(value: Decimal) -> str:
    """Points as people write them: 92, 92.5 (never 92.50 or 1E+2)."""
    return f"{value.normalize():f}"


def hint_kind_text(kind: str) -> str:
    """A hint kind in the UI's language."""
    source = HINT_KINDS.get(kind)
    return QCoreApplication.translate("HintCard", source) if source else kind


def _repolish(*widgets: QWidget) -> None:
    for widget in widgets:
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class HintCard(QFrame):
    """One machine hint: what was found, links to the proof, and the inspector's decision.

    ``url`` is the thing at fault (the stale column, the dead link) and ``found_on`` the page that
    shows it; each opens in the browser with one click. "Adopt" records the indicator as a
    problem from this hint; "dismiss" sets the hint aside (both audited); a dismissed hint can
    be restored.

    Signals:
        action_chosen(int, str): hint id and ``open`` / ``open_source`` / ``adopt`` /
            ``dismiss`` / ``reopen``.
    """

    action_chosen = Signal(int, str)

    def __init__(self, hint: StoredHint, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hintCard")
        self.hint = hint
        self.setProperty("status", hint.status)
        self.text = QLabel(self)
        self.text.setObjectName("hintText")
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._buttons: dict[str, QToolButton] = {}
        links = QHBoxLayout()
        links.setContentsMargins(0, 0, 0, 0)
        links.setSpacing(2)
        actions = ["open"]
        if hint.found_on and hint.found_on != hint.url:
            actions.append("open_source")
        if hint.status == "open":
            actions += ["adopt", "dismiss"]
        elif hint.status == "dismissed":
            actions.append("reopen")
        for action in actions:
            button = QToolButton(self)
            button.setObjectName("hintButton")
            button.setProperty("action", action)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(self.on_button_clicked)
            links.addWidget(button)
            self._buttons[action] = button
        links.addStretch(1)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("hintState")
        links.addWidget(self.state_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 4, 2)
        layout.setSpacing(0)
        layout.addWidget(self.text)
        layout.addLayout(links)
        self.retranslate()

    def button(self, action: str) -> QToolButton:
        """One of the card's buttons (tests click them)."""
        return self._buttons[action]

    def retranslate(self) -> None:
        """Set the texts in the UI's language."""
        hint = self.hint
        head = hint_kind_text(hint.kind)
        self.text.setText(f"<b>{head}</b>　{hint.detail}" if hint.detail else f"<b>{head}</b>")
        self.setToolTip(
            self.tr("问题地址：{url}\n所在页面：{found_on}\n发现时间：{at}　来源：{source}").format(
                url=hint.url, found_on=hint.found_on or "—", at=hint.found_at, source=hint.source
            )
        )
        texts = {
            "open": (self.tr("查看问题 ↗"), self.tr("在浏览器中打开：{url}").format(url=hint.url)),
            "open_source": (
                self.tr("所在页面 ↗"),
                self.tr("在浏览器中打开：{url}").format(url=hint.found_on),
            ),
            "adopt": (self.tr("采纳为问题"), self.tr("确认该提示，并将此指标记为“问题”")),
            "dismiss": (self.tr("忽略"), self.tr("该提示不成立，不再显示为待处理")),
            "reopen": (self.tr("恢复"), self.tr("重新作为待处理的提示")),
        }
        for action, button in self._buttons.items():
            text, tip = texts[action]
            button.setText(text)
            button.setToolTip(tip)
        states = {"confirmed": self.tr("已采纳"), "dismissed": self.tr("已忽略")}
        self.state_label.setText(states.get(hint.status, ""))

    @Slot()
    def on_button_clicked(self) -> None:
        self.action_chosen.emit(self.hint.id, str(self.sender().property("action")))


class IndicatorRow(QFrame):
    """One indicator: its name, the three exclusive choices, machine hints, evidence and a note.

    Clicking the checked choice again clears the judgement. The note field appears for a
    problem or "not applicable" (or when a note exists), and is committed when editing finishes.

    Signals:
        state_chosen(str, object): indicator id and the new ``State``, or None when cleared.
        note_committed(str, str): indicator id and the new note.
        activated(str): the row was clicked (it becomes the current indicator).
        note_left(str): Enter was pressed in the note: the keys go back to the checklist.
    """

    state_chosen = Signal(str, object)
    note_committed = Signal(str, str)
    activated = Signal(str)
    note_left = Signal(str)

    def __init__(self, indicator: Indicator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorRow")
        self.indicator = indicator
        self._state: State | None = None
        self._note = ""
        self._hints: list[HintCard] = []

        self._ident = QLabel(indicator.id, self)
        self._ident.setObjectName("indicatorId")
        self._ident.setFixedWidth(46)
        self._name = QLabel(self)
        self._name.setObjectName("indicatorName")
        self._name.setWordWrap(True)
        self._name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        self._buttons: dict[State, QToolButton] = {}
        self._group = QButtonGroup(self)
        # Not exclusive: Qt's exclusive groups cannot be unchecked, and clearing must be possible.
        self._group.setExclusive(False)
        choices = QHBoxLayout()
        choices.setSpacing(0)
        for state, _text, _key in CHOICES:
            button = QToolButton(self)
            button.setCheckable(True)
            button.setObjectName("stateButton")
            button.setProperty("choice", state.value)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(self.on_button_clicked)
            self._group.addButton(button)
            self._buttons[state] = button
            choices.addWidget(button)

        self._hint_box = QVBoxLayout()
        self._hint_box.setContentsMargins(0, 0, 0, 0)
        self._hint_box.setSpacing(3)
        self.evidence = EvidenceStrip(self)
        self._note_edit = QLineEdit(self)
        self._note_edit.setObjectName("noteEdit")
        self._note_edit.setAcceptDrops(False)  # dropped screenshots go to the row, not the text
        self._note_edit.editingFinished.connect(self.on_note_editing_finished)
        self._note_edit.returnPressed.connect(self.on_note_return_pressed)
        self._note_edit.hide()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(self._ident, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self._name, 1)
        top.addLayout(choices)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 5)
        layout.setSpacing(4)
        layout.addLayout(top)
        for extra in (self._hint_box, self.evidence, self._note_edit):
            indented = QHBoxLayout()
            indented.setContentsMargins(52, 0, 0, 0)
            if isinstance(extra, QVBoxLayout):
                indented.addLayout(extra)
            else:
                indented.addWidget(extra)
            layout.addLayout(indented)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the UI's language."""
        indicator = self.indicator
        self._name.setText(pick(indicator.name_zh, indicator.name_en))
        points = ""
        if indicator.points is not None:
            points = self.tr("（{points} 分）").format(points=points_text(indicator.points))
        first, second = (
            (indicator.name_en, indicator.name_zh)
            if is_english()
            else (indicator.name_zh, indicator.name_en)
        )
        rule, other_rule = (
            (indicator.rule_en, indicator.rule_zh)
            if is_english()
            else (indicator.rule_zh, indicator.rule_en)
        )
        self.setToolTip(
            f"<b>{indicator.id} {first}</b>{points}<br><i>{second}</i>"
            f"<p>{rule}</p><p><i>{other_rule}</i></p>"
        )
        for state, text, key in CHOICES:
            word = self.tr(text)
            self._buttons[state].setText(word)
            self._buttons[state].setToolTip(
                self.tr("{word}（按 {key}；再点一次取消）").format(word=word, key=key)
            )
        self._note_edit.setPlaceholderText(self.tr("备注（问题所在、页面位置等）"))
        self._note_edit.setToolTip(self.tr("备注：离开输入框时保存"))
        for card in self._hints:
            card.retranslate()

    @property
    def state(self) -> State | None:
        """The choice shown."""
        return self._state

    @property
    def note(self) -> str:
        """The note shown."""
        return self._note

    @property
    def hint_cards(self) -> list[HintCard]:
        """The hint cards shown."""
        return list(self._hints)

    def button(self, state: State) -> QToolButton:
        """The button of one choice (tests click it)."""
        return self._buttons[state]

    def note_edit(self) -> QLineEdit:
        """The note field (tests type into it)."""
        return self._note_edit

    def set_current(self, current: bool) -> None:
        """Highlight the row as the one the keys act on."""
        if bool(self.property("current")) != current:
            self.setProperty("current", current)
            _repolish(self)

    def set_result(self, state: State | None, note: str) -> None:
        """Show a stored judgement without emitting anything."""
        self._state = state
        self._note = note
        for choice, button in self._buttons.items():
            button.setChecked(choice == state)
        self._note_edit.setText(note)
        # A problem or a "not applicable" needs its reason; a plain "fine" only an existing note.
        self._note_edit.setVisible(state in (State.PROBLEM, State.NA) or bool(note))
        self.setProperty("state", state.value if state is not None else "")
        _repolish(self)

    def set_hints(self, hints: Sequence[StoredHint], on_action: Callable[[int, str], None]) -> None:
        """Show the machine's hints for this indicator (they suggest; the inspector decides)."""
        if [(h.id, h.status) for h in hints] == [(c.hint.id, c.hint.status) for c in self._hints]:
            return
        for card in self._hints:
            card.deleteLater()
        self._hints = []
        for hint in hints:
            card = HintCard(hint, self)
            card.action_chosen.connect(on_action)
            self._hint_box.addWidget(card)
            self._hints.append(card)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.indicator.id)
        super().mousePressEvent(event)

    @Slot()
    def on_button_clicked(self) -> None:
        button = self.sender()
        chosen = next(s for s, b in self._buttons.items() if b is button)
        self.activated.emit(self.indicator.id)
        self.choose(None if self._state == chosen else chosen)

    def choose(self, state: State | None) -> None:
        """Set a judgement as the inspector would (emits ``state_chosen``)."""
        self.set_result(state, self._note)
        if state == State.PROBLEM and not self._note:
            self._note_edit.setFocus()  # a problem wants a note saying where
        self.state_chosen.emit(self.indicator.id, state)

    @Slot()
    def on_note_return_pressed(self) -> None:
        self.note_left.emit(self.indicator.id)

    @Slot()
    def on_note_editing_finished(self) -> None:
        text = self._note_edit.text().strip()
        if text == self._note or self._state is None:
            return
        self._note = text
        self.note_committed.emit(self.indicator.id, text)


class VerdictView(QFrame):
    """The live verdict at the top of the checklist: 合格 / 不合格 / 待完成, score and reasons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictFrame")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("verdictState")
        self.score_label = QLabel(self)
        self.score_label.setObjectName("verdictScore")
        self.score_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("verdictDetail")
        self.detail_label.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.state_label)
        head.addStretch(1)
        head.addWidget(self.score_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.detail_label)
        self._shown: tuple[Verdict | None, bool] = (None, True)
        self.show_verdict(None)

    def show_verdict(self, verdict: Verdict | None, *, scored: bool = True) -> None:
        """Render a verdict; None shows an empty placeholder."""
        self._shown = (verdict, scored)
        if verdict is None:
            self._set("none", "—", "", self.tr("请选择检查对象"))
            return
        if verdict.vetoes:
            kind, word = "unqualified", self.tr("不合格")
        elif not verdict.complete:
            kind, word = "pending", self.tr("待完成")
        elif verdict.qualified:
            kind, word = "qualified", self.tr("合格")
        else:
            kind, word = "unqualified", self.tr("不合格")
        score = ""
        if verdict.score is not None and scored:
            score = self.tr("{points} 分").format(points=points_text(verdict.score))
            if not verdict.complete and not verdict.vetoes:
                score = self.tr("暂计 {score}").format(score=score)
        lines = []
        if verdict.pending and not verdict.vetoes:
            lines.append(self.tr("还有 {n} 项未检查").format(n=len(verdict.pending)))
        reasons = [pick(r.text_zh, r.text_en) for r in verdict.reasons]
        lines.extend(reasons[:MAX_REASONS])
        if len(reasons) > MAX_REASONS:
            lines.append(self.tr("…等共 {n} 条").format(n=len(reasons)))
        if not lines and kind == "qualified":
            lines.append(self.tr("全部指标已检查，未发现问题"))
        tooltip = "\n".join((r.text_zh if is_english() else r.text_en) for r in verdict.reasons)
        self._set(kind, word, score, "\n".join(lines), tooltip)

    def retranslate(self) -> None:
        """Render the verdict shown again in the UI's language."""
        verdict, scored = self._shown
        self.show_verdict(verdict, scored=scored)

    def _set(self, kind: str, word: str, score: str, detail: str, tooltip: str = "") -> None:
        self.setProperty("verdict", kind)
        self.state_label.setText(word)
        self.score_label.setText(score)
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
        self.setToolTip(tooltip)
        _repolish(self, self.state_label, self.score_label)

    @property
    def text(self) -> str:
        """Everything the verdict view says, as plain text (for tests and accessibility)."""
        return " ".join(
            t
            for t in (self.state_label.text(), self.score_label.text(), self.detail_label.text())
            if t
        )


class ChecklistPanel(QWidget):
    """The indicators that apply to the current target, grouped 单项否决 / 扣分指标 / 加分指标.

    The panel only presents and forwards: every change is emitted at once and the window writes
    it to the findings file (autosave), then hands back what is stored through
    :meth:`show_target` and :meth:`show_verdict`. Hints and evidence not tied to one indicator
    (a certificate error, a screenshot of the whole site) show at the top, for the target.

    Signals:
        result_edited(str, object, object): indicator id, the new ``State`` (None: cleared),
            and the note (None: keep the stored note).
        hint_action(int, str): a hint's id and what to do (see :class:`HintCard`).
        evidence_activated(int): show this evidence.
        evidence_remove_requested(int): remove this evidence (the reason is asked next).
        images_dropped(object, object): images (list of ``ImageFile``) dropped or pasted, and
            the indicator id they go to (None: the target).
        images_refused(object): messages about dropped files that are not images.
        current_changed(object): the current indicator id (None when there is none).
    """

    result_edited = Signal(str, object, object)
    hint_action = Signal(int, str)
    evidence_activated = Signal(int)
    evidence_remove_requested = Signal(int)
    images_dropped = Signal(object, object)
    images_refused = Signal(object)
    current_changed = Signal(object)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self._profile = profile
        self._target: Target | None = None
        self._rows: dict[str, IndicatorRow] = {}
        self._headers: list[QLabel] = []
        self._current: str | None = None
        self._thumbnail: Thumbnailer | None = None
        self._shown: tuple[Sequence[Result], Sequence[StoredHint], Sequence[EvidenceInfo]] = (
            (),
            (),
            (),
        )
        self._target_hints: list[HintCard] = []

        self.verdict_view = VerdictView(self)
        self._title = QLabel(self)
        self._title.setObjectName("targetTitle")
        self._title.setWordWrap(True)
        self._details = QLabel(self)
        self._details.setObjectName("targetDetails")
        self._details.setWordWrap(True)
        self._details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._drop_hint = QLabel(self)
        self._drop_hint.setObjectName("dropHint")
        self._drop_hint.setWordWrap(True)
        self.target_evidence = EvidenceStrip(self)
        self.target_evidence.evidence_activated.connect(self.evidence_activated)
        self.target_evidence.remove_requested.connect(self.evidence_remove_requested)
        self._target_hint_box = QVBoxLayout()
        self._target_hint_box.setContentsMargins(0, 0, 0, 0)
        self._target_hint_box.setSpacing(3)

        self._body = QWidget()
        self._body.setObjectName("checklistBody")
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, 0, 8)
        self._body_layout.setSpacing(0)
        self._body_layout.addStretch(1)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("checklistScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setWidget(self._body)

        header = QVBoxLayout()
        header.setContentsMargins(10, 8, 10, 6)
        header.setSpacing(3)
        header.addWidget(self._title)
        header.addWidget(self._details)
        header.addLayout(self._target_hint_box)
        header.addWidget(self.target_evidence)
        header.addWidget(self._drop_hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.verdict_view)
        layout.addLayout(header)
        layout.addWidget(self._scroll, 1)
        self._layout = layout
        self.clear()

    # --- content ---------------------------------------------------------------------------------

    @property
    def target(self) -> Target | None:
        """The target shown."""
        return self._target

    def row(self, indicator_id: str) -> IndicatorRow:
        """The row of one indicator (KeyError if it does not apply to the target shown)."""
        return self._rows[indicator_id]

    def indicator_ids(self) -> list[str]:
        """The indicators shown, in order."""
        return list(self._rows)

    def target_hint_cards(self) -> list[HintCard]:
        """The hint cards about the whole target."""
        return list(self._target_hints)

    def insert_panel(self, panel: QWidget) -> None:
        """Show a panel between the target's header and the indicators (the account panel)."""
        self._layout.insertWidget(self._layout.indexOf(self._scroll), panel)

    def set_thumbnailer(self, thumbnail: Thumbnailer) -> None:
        """How to get the thumbnail of a piece of evidence (the window owns the file)."""
        self._thumbnail = thumbnail

    def set_profile(self, profile: Profile) -> None:
        """Use another profile (another findings file was opened)."""
        self._profile = profile
        self.clear()

    def clear(self) -> None:
        """Show no target."""
        self._target = None
        self._shown = ((), (), ())
        self._rebuild([])
        self._set_target_hints([])
        self.target_evidence.set_evidence([], self._thumb)
        self._retranslate_header()
        self.verdict_view.show_verdict(None)

    def show_target(
        self,
        target: Target,
        results: Sequence[Result],
        hints: Sequence[StoredHint] = (),
        evidence: Sequence[EvidenceInfo] = (),
    ) -> None:
        """Show the checklist of a target with its results, the machine's hints and evidence.

        Showing the same target again (after an edit) keeps the current indicator and the
        scroll position; another target starts at its first indicator, scrolled to the top.
        """
        same = self._target is not None and self._target.key == target.key
        self._target = target
        self._shown = (results, hints, evidence)
        indicators = self._profile.for_target(target)
        if [i.id for i in indicators] != list(self._rows):
            self._rebuild(indicators)
        by_id: Mapping[str, Result] = {r.indicator_id: r for r in results}
        hints_by_id: dict[str | None, list[StoredHint]] = {}
        for hint in hints:
            key = hint.indicator if hint.indicator in self._rows else None
            hints_by_id.setdefault(key, []).append(hint)
        evidence_by_id: dict[str | None, list[EvidenceInfo]] = {}
        for item in evidence:
            key = item.indicator_id if item.indicator_id in self._rows else None
            evidence_by_id.setdefault(key, []).append(item)
        for ident, row in self._rows.items():
            result = by_id.get(ident)
            row.set_result(result.state if result else None, result.note if result else "")
            row.set_hints(hints_by_id.get(ident, []), self.hint_action.emit)
            row.evidence.set_evidence(evidence_by_id.get(ident, []), self._thumb)
        self._set_target_hints(hints_by_id.get(None, []))
        self.target_evidence.set_evidence(evidence_by_id.get(None, []), self._thumb)
        self._retranslate_header()
        if not same:
            self._scroll.verticalScrollBar().setValue(0)
            self.set_current(next(iter(self._rows), None))

    def show_verdict(self, verdict: Verdict | None) -> None:
        """Show the verdict computed from the stored results."""
        scored = self._target is None or self._target.kind == Kind.WEBSITE
        scored = scored or self._profile.new_media.scored
        self.verdict_view.show_verdict(verdict, scored=scored)

    def update_thumbnail(self, evidence_id: int, pixmap: QPixmap) -> None:
        """Show a thumbnail made in the background wherever that evidence is shown."""
        self.target_evidence.update_thumbnail(evidence_id, pixmap)
        for row in self._rows.values():
            row.evidence.update_thumbnail(evidence_id, pixmap)

    def _thumb(self, info: EvidenceInfo) -> QPixmap:
        if self._thumbnail is None:
            return QPixmap()
        return self._thumbnail(info)

    def _set_target_hints(self, hints: Sequence[StoredHint]) -> None:
        if [(h.id, h.status) for h in hints] == [
            (c.hint.id, c.hint.status) for c in self._target_hints
        ]:
            return
        for card in self._target_hints:
            card.deleteLater()
        self._target_hints = []
        for hint in hints:
            card = HintCard(hint, self)
            card.action_chosen.connect(self.hint_action)
            self._target_hint_box.addWidget(card)
            self._target_hints.append(card)

    def _describe(self, target: Target) -> str:
        if target.kind == Kind.NEW_MEDIA:
            platform = PLATFORM_LABELS.get(target.platform or "", target.platform or "")
            parts = [platform or self.tr("政务新媒体"), target.account_id or "", target.owner]
        else:
            kind = self.tr("门户网站") if target.is_portal else (target.category or self.tr("网站"))
            code = (
                self.tr("网站标识码 {code}").format(code=target.site_code)
                if target.site_code
                else ""
            )
            parts = [kind, target.level, code, target.owner]
        return " · ".join(p for p in parts if p)

    def _retranslate_header(self) -> None:
        if self._target is None:
            self._title.setText(self.tr("未选择检查对象"))
            self._details.setText(self.tr("在左侧列表中选择一个网站或政务新媒体账号。"))
            self._drop_hint.hide()
            return
        self._title.setText(self._target.name)
        self._details.setText(self._describe(self._target))
        self._drop_hint.setText(
            self.tr(
                "把截图拖到指标上（或按 Ctrl+V 粘贴）即作为该指标的证据；拖到此处则作为整个对象的证据。"
            )
        )
        self._drop_hint.setVisible(not self.target_evidence.evidence_ids())

    def _rebuild(self, indicators: Sequence[Indicator]) -> None:
        for row in self._rows.values():
            row.deleteLater()
        for header in self._headers:
            header.deleteLater()
        self._rows = {}
        self._headers = []
        self._current = None
        position = 0
        for group, _title in GROUPS:
            members = [i for i in indicators if i.group == group]
            if not members:
                continue
            header = QLabel()
            header.setObjectName("groupTitle")
            header.setProperty("group", group)
            header.setProperty("count", len(members))
            self._body_layout.insertWidget(position, header)
            self._headers.append(header)
            position += 1
            for indicator in members:
                row = IndicatorRow(indicator)
                row.state_chosen.connect(self.on_row_state_chosen)
                row.note_committed.connect(self.on_row_note_committed)
                row.activated.connect(self.on_row_activated)
                row.note_left.connect(self.on_row_note_left)
                row.evidence.evidence_activated.connect(self.evidence_activated)
                row.evidence.remove_requested.connect(self.evidence_remove_requested)
                self._body_layout.insertWidget(position, row)
                self._rows[indicator.id] = row
                position += 1
        self._retranslate_groups()

    def _retranslate_groups(self) -> None:
        titles = dict(GROUPS)
        for header in self._headers:
            group = str(header.property("group"))
            count = int(header.property("count"))
            title = QCoreApplication.translate("ChecklistPanel", titles[group])
            items = self.tr("{n} 项").format(n=count)
            header.setText(f"{title}　<span style='color:#8a929e'>{items}</span>")
            header.setToolTip(QCoreApplication.translate("ChecklistPanel", GROUP_TIPS[group]))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate_groups()
            self._retranslate_header()
            self.verdict_view.retranslate()
            for row in self._rows.values():
                row.retranslate()
            for card in self._target_hints:
                card.retranslate()
        super().changeEvent(event)

    # --- the current indicator (keyboard) --------------------------------------------------------

    def current_indicator(self) -> str | None:
        """The indicator the keys act on and evidence goes to (None: the target as a whole)."""
        return self._current

    def set_current(self, indicator_id: str | None) -> None:
        """Make an indicator current (None: none) and scroll it into view."""
        if indicator_id is not None and indicator_id not in self._rows:
            return
        if indicator_id == self._current:
            return
        old = self._rows.get(self._current or "")
        if old is not None:
            old.set_current(False)
        self._current = indicator_id
        row = self._rows.get(indicator_id or "")
        if row is not None:
            row.set_current(True)
            self._scroll.ensureWidgetVisible(row, 0, 24)
        self.current_changed.emit(indicator_id)

    def move_current(self, step: int) -> bool:
        """Move the current indicator up or down; False at either end."""
        ids = list(self._rows)
        if not ids:
            return False
        if self._current not in ids:
            self.set_current(ids[0 if step > 0 else -1])
            return True
        position = ids.index(self._current) + step
        if not 0 <= position < len(ids):
            return False
        self.set_current(ids[position])
        self.setFocus()  # leaving a note field commits it
        return True

    def choose_current(self, state: State | None) -> bool:
        """Judge the current indicator as the keys 1 / 2 / 3 (and 0 to clear) do."""
        row = self._rows.get(self._current or "")
        if row is None or row.state == state:
            return row is not None
        # A problem without a note puts the cursor in the note field; Enter or Esc comes back.
        row.choose(state)
        return True

    @Slot(str)
    def on_row_activated(self, indicator_id: str) -> None:
        self.set_current(indicator_id)
        if not self._rows[indicator_id].note_edit().hasFocus():
            self.setFocus(Qt.FocusReason.MouseFocusReason)

    @Slot(str)
    def on_row_note_left(self, indicator_id: str) -> None:
        self.set_current(indicator_id)
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            # Esc in a note field (which ignores it) lands here: back to the keys.
            self.setFocus(Qt.FocusReason.ShortcutFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)

    # --- drops -----------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._target is not None and can_accept(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:
        if self._target is not None and can_accept(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self._target is None:
            event.ignore()
            return
        indicator = self.indicator_at(event.position().toPoint())
        images, problems = images_from_mime(event.mimeData())
        event.acceptProposedAction()
        if indicator is not None:
            self.set_current(indicator)
        if images:
            self.images_dropped.emit(images, indicator)
        if problems:
            self.images_refused.emit(problems)

    def indicator_at(self, position: QPoint) -> str | None:
        """The indicator whose row is at a point of the panel (None: outside every row)."""
        widget = self.childAt(position)
        while widget is not None and widget is not self:
            if isinstance(widget, IndicatorRow):
                return widget.indicator.id
            widget = widget.parentWidget()
        return None

    def paste_images(self, images: list[ImageFile]) -> None:
        """Forward pasted images to the current indicator (or the target)."""
        if self._target is not None and images:
            self.images_dropped.emit(images, self._current)

    # --- forwarding ------------------------------------------------------------------------------

    @Slot(str, object)
    def on_row_state_chosen(self, indicator_id: str, state: State | None) -> None:
        self.result_edited.emit(indicator_id, state, None)

    @Slot(str, str)
    def on_row_note_committed(self, indicator_id: str, note: str) -> None:
        row = self._rows[indicator_id]
        self.result_edited.emit(indicator_id, row.state, note)
