"""The checklist of one target: each indicator judged problem / ok / not applicable, and the verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, Signal, Slot
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
from inspector.store import Result, StoredHint
from inspector.targets import Kind, State, Target
from inspector.verdict import Verdict

#: Group order and headings; the English goes into tooltips (the app speaks Chinese first).
GROUPS = (
    ("veto", "单项否决", "Single-veto indicators: any problem makes the target unqualified"),
    ("deduction", "扣分指标", "Deduction indicators: points taken off from 100"),
    ("bonus", "加分指标", "Bonus indicators: portals above the bonus line only"),
)
#: The three choices, in button order.
CHOICES = (
    (State.PROBLEM, "问题", "problem"),
    (State.OK, "正常", "ok"),
    (State.NA, "不适用", "not applicable"),
)
MAX_REASONS = 6


def points_text(value: Decimal) -> str:
    """Points as people write them: 92, 92.5 (never 92.50 or 1E+2)."""
    return f"{value.normalize():f}"


class IndicatorRow(QFrame):
    """One indicator: its name, the three exclusive choices, machine hints, and a note.

    Clicking the checked choice again clears the judgement. The note field appears for a
    problem or "not applicable" (or when a note exists), and is committed when editing finishes.

    Signals:
        state_chosen(str, object): indicator id and the new ``State``, or None when cleared.
        note_committed(str, str): indicator id and the new note.
    """

    state_chosen = Signal(str, object)
    note_committed = Signal(str, str)

    def __init__(self, indicator: Indicator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorRow")
        self.indicator = indicator
        self._state: State | None = None
        self._note = ""

        ident = QLabel(indicator.id, self)
        ident.setObjectName("indicatorId")
        ident.setFixedWidth(46)
        name = QLabel(indicator.name_zh, self)
        name.setObjectName("indicatorName")
        name.setWordWrap(True)
        name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        points = ""
        if indicator.points is not None:
            points = f"（{points_text(indicator.points)} 分）"
        self.setToolTip(
            f"<b>{indicator.id} {indicator.name_zh}</b>{points}<br><i>{indicator.name_en}</i>"
            f"<p>{indicator.rule_zh}</p><p><i>{indicator.rule_en}</i></p>"
        )

        self._buttons: dict[State, QToolButton] = {}
        self._group = QButtonGroup(self)
        # Not exclusive: Qt's exclusive groups cannot be unchecked, and clearing must be possible.
        self._group.setExclusive(False)
        choices = QHBoxLayout()
        choices.setSpacing(0)
        for state, zh, en in CHOICES:
            button = QToolButton(self)
            button.setText(zh)
            button.setCheckable(True)
            button.setObjectName("stateButton")
            button.setProperty("choice", state.value)
            button.setToolTip(f"{zh} / {en}（再点一次取消 / click again to clear）")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(self.on_button_clicked)
            self._group.addButton(button)
            self._buttons[state] = button
            choices.addWidget(button)

        self._hints = QLabel(self)
        self._hints.setObjectName("hintLabel")
        self._hints.setWordWrap(True)
        self._hints.hide()
        self._note_edit = QLineEdit(self)
        self._note_edit.setObjectName("noteEdit")
        self._note_edit.setPlaceholderText("备注（问题所在、页面位置等）")
        self._note_edit.setToolTip("备注 / note: what and where; saved when you leave the field")
        self._note_edit.editingFinished.connect(self.on_note_editing_finished)
        self._note_edit.hide()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(ident, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(name, 1)
        top.addLayout(choices)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 5)
        layout.setSpacing(4)
        layout.addLayout(top)
        for extra in (self._hints, self._note_edit):
            indented = QHBoxLayout()
            indented.setContentsMargins(52, 0, 0, 0)
            indented.addWidget(extra)
            layout.addLayout(indented)

    @property
    def state(self) -> State | None:
        """The choice shown."""
        return self._state

    @property
    def note(self) -> str:
        """The note shown."""
        return self._note

    def button(self, state: State) -> QToolButton:
        """The button of one choice (tests click it)."""
        return self._buttons[state]

    def note_edit(self) -> QLineEdit:
        """The note field (tests type into it)."""
        return self._note_edit

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
        self.style().unpolish(self)
        self.style().polish(self)

    def set_hints(self, hints: Sequence[StoredHint]) -> None:
        """Show the machine's open hints for this indicator (they suggest; the inspector decides)."""
        shown = [h for h in hints if h.status != "dismissed"]
        if not shown:
            self._hints.hide()
            return
        lines = [f"机器提示：{h.detail}" for h in shown[:3]]
        if len(shown) > 3:
            lines.append(f"…另有 {len(shown) - 3} 条")
        self._hints.setText("\n".join(lines))
        self._hints.setToolTip("\n".join(f"{h.kind}: {h.url}" for h in shown))
        self._hints.show()

    @Slot()
    def on_button_clicked(self) -> None:
        button = self.sender()
        chosen = next(s for s, b in self._buttons.items() if b is button)
        new = None if self._state == chosen else chosen
        self.set_result(new, self._note)
        if new == State.PROBLEM and not self._note:
            self._note_edit.setFocus()  # a problem wants a note saying where
        self.state_chosen.emit(self.indicator.id, new)

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
        self.show_verdict(None)

    def show_verdict(self, verdict: Verdict | None, *, scored: bool = True) -> None:
        """Render a verdict; None shows an empty placeholder."""
        if verdict is None:
            self._set("none", "—", "", "请选择检查对象 / select a target")
            return
        if verdict.vetoes:
            kind, word = "unqualified", "不合格"
        elif not verdict.complete:
            kind, word = "pending", "待完成"
        elif verdict.qualified:
            kind, word = "qualified", "合格"
        else:
            kind, word = "unqualified", "不合格"
        score = ""
        if verdict.score is not None and scored:
            score = f"{points_text(verdict.score)} 分"
            if not verdict.complete and not verdict.vetoes:
                score = "暂计 " + score
        lines = []
        if verdict.pending and not verdict.vetoes:
            lines.append(f"还有 {len(verdict.pending)} 项未检查")
        reasons = [r.text_zh for r in verdict.reasons]
        lines.extend(reasons[:MAX_REASONS])
        if len(reasons) > MAX_REASONS:
            lines.append(f"…等共 {len(reasons)} 条")
        if not lines and kind == "qualified":
            lines.append("全部指标已检查，未发现问题")
        tooltip = "\n".join(r.text_en for r in verdict.reasons)
        self._set(kind, word, score, "\n".join(lines), tooltip)

    def _set(self, kind: str, word: str, score: str, detail: str, tooltip: str = "") -> None:
        self.setProperty("verdict", kind)
        self.state_label.setText(word)
        self.score_label.setText(score)
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))
        self.setToolTip(tooltip)
        for widget in (self, self.state_label, self.score_label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

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

    The panel only presents and forwards: every change is emitted at once as
    ``result_edited`` and the window writes it to the findings file (autosave), then hands back
    the new verdict through :meth:`show_verdict`.

    Signals:
        result_edited(str, object, object): indicator id, the new ``State`` (None: cleared),
            and the note (None: keep the stored note).
    """

    result_edited = Signal(str, object, object)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self._profile = profile
        self._target: Target | None = None
        self._rows: dict[str, IndicatorRow] = {}
        self._headers: list[QLabel] = []

        self.verdict_view = VerdictView(self)
        self._title = QLabel(self)
        self._title.setObjectName("targetTitle")
        self._title.setWordWrap(True)
        self._details = QLabel(self)
        self._details.setObjectName("targetDetails")
        self._details.setWordWrap(True)
        self._details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

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
        self._scroll.setWidget(self._body)

        header = QVBoxLayout()
        header.setContentsMargins(10, 8, 10, 6)
        header.setSpacing(2)
        header.addWidget(self._title)
        header.addWidget(self._details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.verdict_view)
        layout.addLayout(header)
        layout.addWidget(self._scroll, 1)
        self.clear()

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

    def set_profile(self, profile: Profile) -> None:
        """Use another profile (another findings file was opened)."""
        self._profile = profile
        self.clear()

    def clear(self) -> None:
        """Show no target."""
        self._target = None
        self._rebuild([])
        self._title.setText("未选择检查对象")
        self._details.setText("在左侧列表中选择一个网站或政务新媒体账号。")
        self.verdict_view.show_verdict(None)

    def show_target(
        self,
        target: Target,
        results: Sequence[Result],
        hints: Sequence[StoredHint] = (),
    ) -> None:
        """Show the checklist of a target with its stored results and the machine's hints."""
        self._target = target
        indicators = self._profile.for_target(target)
        if [i.id for i in indicators] != list(self._rows):
            self._rebuild(indicators)
        by_id: Mapping[str, Result] = {r.indicator_id: r for r in results}
        hints_by_id: dict[str, list[StoredHint]] = {}
        for hint in hints:
            if hint.indicator:
                hints_by_id.setdefault(hint.indicator, []).append(hint)
        for ident, row in self._rows.items():
            result = by_id.get(ident)
            row.set_result(result.state if result else None, result.note if result else "")
            row.set_hints(hints_by_id.get(ident, ()))
        self._title.setText(target.name)
        self._details.setText(self._describe(target))
        self._scroll.verticalScrollBar().setValue(0)

    def show_verdict(self, verdict: Verdict | None) -> None:
        """Show the verdict computed from the stored results."""
        scored = self._target is None or self._target.kind == Kind.WEBSITE
        scored = scored or self._profile.new_media.scored
        self.verdict_view.show_verdict(verdict, scored=scored)

    @staticmethod
    def _describe(target: Target) -> str:
        if target.kind == Kind.NEW_MEDIA:
            platform = PLATFORM_LABELS.get(target.platform or "", target.platform or "政务新媒体")
            parts = [platform, target.account_id or "", target.owner]
        else:
            kind = "门户网站" if target.is_portal else (target.category or "网站")
            code = f"网站标识码 {target.site_code}" if target.site_code else ""
            parts = [kind, target.level, code, target.owner]
        return " · ".join(p for p in parts if p)

    def _rebuild(self, indicators: Sequence[Indicator]) -> None:
        for row in self._rows.values():
            row.deleteLater()
        for header in self._headers:
            header.deleteLater()
        self._rows = {}
        self._headers = []
        position = 0
        for group, zh, en in GROUPS:
            members = [i for i in indicators if i.group == group]
            if not members:
                continue
            header = QLabel(f"{zh}　<span style='color:#8a929e'>{len(members)} 项</span>")
            header.setObjectName("groupTitle")
            header.setToolTip(en)
            self._body_layout.insertWidget(position, header)
            self._headers.append(header)
            position += 1
            for indicator in members:
                row = IndicatorRow(indicator)
                row.state_chosen.connect(self.on_row_state_chosen)
                row.note_committed.connect(self.on_row_note_committed)
                self._body_layout.insertWidget(position, row)
                self._rows[indicator.id] = row
                position += 1

    @Slot(str, object)
    def on_row_state_chosen(self, indicator_id: str, state: State | None) -> None:
        self.result_edited.emit(indicator_id, state, None)

    @Slot(str, str)
    def on_row_note_committed(self, indicator_id: str, note: str) -> None:
        row = self._rows[indicator_id]
        self.result_edited.emit(indicator_id, row.state, note)
