"""The list of targets to inspect, with filters and the inspector's progress."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from inspector.samples import PLATFORM_LABELS
from inspector.targets import Kind, Target

_KEY_ROLE = Qt.ItemDataRole.UserRole
_SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1
_STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
_SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3
_KIND_ROLE = Qt.ItemDataRole.UserRole + 4
_TARGET_ROLE = Qt.ItemDataRole.UserRole + 5
_HINTS_ROLE = Qt.ItemDataRole.UserRole + 6
_HINT_BADGE = QColor("#d97706")


class TargetStatus(Enum):
    """Where the inspection of one target stands, as the list shows it."""

    TODO = (QT_TRANSLATE_NOOP("TargetStatus", "未开始"), "#b8bec7")
    PARTIAL = (QT_TRANSLATE_NOOP("TargetStatus", "检查中"), "#e0a100")
    QUALIFIED = (QT_TRANSLATE_NOOP("TargetStatus", "合格"), "#2e8b57")
    UNQUALIFIED = (QT_TRANSLATE_NOOP("TargetStatus", "不合格"), "#c62828")

    @property
    def label(self) -> str:
        """The status in the UI's language."""
        return QCoreApplication.translate("TargetStatus", self.value[0])

    @property
    def color(self) -> QColor:
        return QColor(self.value[1])

    @property
    def done(self) -> bool:
        return self in (TargetStatus.QUALIFIED, TargetStatus.UNQUALIFIED)


def subtitle(target: Target) -> str:
    """The grey second line: what kind of target, and where it lives."""
    if target.kind == Kind.NEW_MEDIA:
        platform = PLATFORM_LABELS.get(target.platform or "", target.platform or "")
        platform = platform or QCoreApplication.translate("TargetListPanel", "新媒体")
        return " · ".join(p for p in (platform, target.account_id, target.owner) if p)
    host = urlsplit(target.url).netloc if target.url else ""
    kind = target.category or QCoreApplication.translate("TargetListPanel", "网站")
    return " · ".join(p for p in (kind, target.level, target.site_code or host) if p)


class _TargetDelegate(QStyledItemDelegate):
    """Two lines per target (name, grey details) and a coloured status dot."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        height = option.fontMetrics.height()
        return QSize(200, int(height * 2 + 18))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(12, 6, -8, -6)
        status = index.data(_STATUS_ROLE) or TargetStatus.TODO
        dot = QRect(rect.left(), rect.top() + 5, 9, 9)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status.color)
        painter.drawEllipse(dot)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(group, text_role))
        text_rect = rect.adjusted(18, 0, 0, 0)
        line = option.fontMetrics.height()
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(name_font)
        hints = index.data(_HINTS_ROLE) or 0
        name_width = text_rect.width()
        if hints:
            # Open scan hints: an amber count at the end of the name line.
            label = str(hints)
            metrics = painter.fontMetrics()
            width = max(metrics.horizontalAdvance(label) + 10, line)
            badge = QRect(text_rect.right() - width, text_rect.top(), width, line)
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_HINT_BADGE)
            painter.drawRoundedRect(badge, line / 2, line / 2)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
            painter.restore()
            name_width -= width + 6
        name = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, name_width)
        painter.drawText(text_rect.adjusted(0, 0, 0, -line), Qt.AlignmentFlag.AlignLeft, name)
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() - 1.0, 7.0))
        painter.setFont(small)
        grey = option.palette.color(group, text_role) if selected else QColor("#7a8290")
        painter.setPen(grey)
        detail = painter.fontMetrics().elidedText(
            index.data(_SUBTITLE_ROLE) or "", Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(text_rect.adjusted(0, line + 3, 0, 0), Qt.AlignmentFlag.AlignLeft, detail)
        painter.restore()


class TargetListPanel(QWidget):
    """The sample list: pick a target to inspect; filter by kind, region, status and text.

    Shows for each target a status dot (not started, in progress, qualified, unqualified) and,
    at the bottom, how many targets are done ("已完成 n / m"). Selection is forwarded as the
    target's key; the panel knows nothing about findings files.

    Signals:
        target_selected(str): the user (or :meth:`select`) made this target current.
    """

    target_selected = Signal(str)

    _KINDS = (
        (QT_TRANSLATE_NOOP("TargetListPanel", "全部类型"), None),
        (QT_TRANSLATE_NOOP("TargetListPanel", "网站"), Kind.WEBSITE),
        (QT_TRANSLATE_NOOP("TargetListPanel", "政务新媒体"), Kind.NEW_MEDIA),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetListPanel")
        self._items: dict[str, QListWidgetItem] = {}
        self._kind = QComboBox(self)
        self._kind.setObjectName("kindFilter")
        for _label, kind in self._KINDS:
            self._kind.addItem("", kind.value if kind is not None else "")
        self._kind.currentIndexChanged.connect(self.on_filter_changed)
        self._region = QComboBox(self)
        self._region.setObjectName("regionFilter")
        self._region.addItem("", "")
        self._region.currentIndexChanged.connect(self.on_filter_changed)
        self._status = QComboBox(self)
        self._status.setObjectName("statusFilter")
        self._status.addItem("", None)
        for status in TargetStatus:
            self._status.addItem("", status)
        self._status.currentIndexChanged.connect(self.on_filter_changed)
        self._search = QLineEdit(self)
        self._search.setObjectName("targetSearch")
        self._search.setClearButtonEnabled(True)
        self._search.textChanged.connect(self.on_filter_changed)

        self._list = QListWidget(self)
        self._list.setObjectName("targetList")
        self._list.setItemDelegate(_TargetDelegate(self._list))
        self._list.setUniformItemSizes(True)
        self._list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._list.currentItemChanged.connect(self.on_list_current_item_changed)

        self._progress_label = QLabel(self)
        self._progress_label.setObjectName("progressLabel")
        self._progress_bar = QProgressBar(self)
        self._progress_bar.setObjectName("progressBar")
        self._progress_bar.setTextVisible(False)
        self._progress_bar.setFixedHeight(4)

        self._title = title = QLabel(self)
        title.setObjectName("panelTitle")
        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(self._kind)
        filters.addWidget(self._search, 1)
        more_filters = QHBoxLayout()
        more_filters.setSpacing(6)
        more_filters.addWidget(self._region, 1)
        more_filters.addWidget(self._status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addLayout(more_filters)
        layout.addWidget(self._list, 1)
        layout.addWidget(self._progress_label)
        layout.addWidget(self._progress_bar)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the UI's language."""
        self._title.setText(self.tr("检查对象"))
        for index, (label, _kind) in enumerate(self._KINDS):
            self._kind.setItemText(index, QCoreApplication.translate("TargetListPanel", label))
        self._kind.setToolTip(self.tr("按类型筛选"))
        self._region.setItemText(0, self.tr("全部地区"))
        self._region.setToolTip(self.tr("按地区筛选"))
        self._status.setItemText(0, self.tr("全部状态"))
        for index in range(1, self._status.count()):
            self._status.setItemText(index, self._status.itemData(index).label)
        self._status.setToolTip(self.tr("按检查状态筛选"))
        self._search.setPlaceholderText(self.tr("搜索名称、网址、主办单位"))
        self._search.setToolTip(self.tr("搜索名称、网址、主办单位 (Ctrl+F)"))
        for i in range(self._list.count()):
            self._describe_item(self._list.item(i))
        self._update_progress()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _describe_item(self, item: QListWidgetItem) -> None:
        target: Target = item.data(_TARGET_ROLE)
        status: TargetStatus = item.data(_STATUS_ROLE) or TargetStatus.TODO
        item.setData(_SUBTITLE_ROLE, subtitle(target))
        lines = [target.name, target.url or "", target.owner]
        lines.append(self.tr("状态：{status}").format(status=status.label))
        hints = item.data(_HINTS_ROLE) or 0
        if hints:
            lines.append(self.tr("待处理的扫描提示：{count} 条").format(count=hints))
        item.setToolTip("\n".join(line for line in lines if line))

    # --- content ---------------------------------------------------------------------------

    def set_targets(self, targets: Sequence[Target]) -> None:
        """Show these targets, in this order; keeps the current one selected if still there."""
        current = self.current_key()
        self._list.blockSignals(True)
        self._list.clear()
        self._items = {}
        for target in targets:
            item = QListWidgetItem(target.name)
            item.setData(_KEY_ROLE, target.key)
            item.setData(_TARGET_ROLE, target)
            item.setData(_STATUS_ROLE, TargetStatus.TODO)
            item.setData(_KIND_ROLE, target.kind.value)
            haystack = " ".join(
                p or ""
                for p in (
                    target.name,
                    target.url,
                    target.owner,
                    target.site_code,
                    target.account_id,
                )
            )
            item.setData(_SEARCH_ROLE, haystack.lower())
            self._describe_item(item)
            self._list.addItem(item)
            self._items[target.key] = item
        self._list.blockSignals(False)
        self._fill_regions(targets)
        self._apply_filter()
        self._update_progress()
        if current is not None:
            self.select(current, notify=False)

    def set_status(self, key: str, status: TargetStatus) -> None:
        """Change the status dot of one target and the progress count."""
        self.set_statuses({key: status})

    def set_statuses(self, statuses: dict[str, TargetStatus]) -> None:
        """Change the status dots of many targets at once (one progress update)."""
        changed = False
        for key, status in statuses.items():
            item = self._items.get(key)
            if item is None or item.data(_STATUS_ROLE) == status:
                continue
            item.setData(_STATUS_ROLE, status)
            self._describe_item(item)
            changed = True
        # The filter is not re-applied here: the target being judged stays in view until the
        # inspector changes the filter, rather than vanishing under the cursor.
        if changed:
            self._update_progress()

    def set_hint_counts(self, counts: dict[str, int]) -> None:
        """Show how many open scan hints each of these targets has (0 hides the marker)."""
        for key, count in counts.items():
            item = self._items.get(key)
            if item is not None and (item.data(_HINTS_ROLE) or 0) != count:
                item.setData(_HINTS_ROLE, count)
                self._describe_item(item)

    def hint_count(self, key: str) -> int:
        """The open scan hints shown for a target."""
        item = self._items.get(key)
        return int(item.data(_HINTS_ROLE) or 0) if item is not None else 0

    def status(self, key: str) -> TargetStatus | None:
        """The status shown for a target."""
        item = self._item(key)
        return None if item is None else item.data(_STATUS_ROLE)

    def target_keys(self) -> list[str]:
        """All target keys, in list order (hidden ones included)."""
        return [self._list.item(i).data(_KEY_ROLE) for i in range(self._list.count())]

    def visible_keys(self) -> list[str]:
        """Keys of the targets the filters let through."""
        return [
            self._list.item(i).data(_KEY_ROLE)
            for i in range(self._list.count())
            if not self._list.item(i).isHidden()
        ]

    def current_key(self) -> str | None:
        """The key of the selected target, if any."""
        item = self._list.currentItem()
        return None if item is None else item.data(_KEY_ROLE)

    # --- navigation ------------------------------------------------------------------------

    def select(self, key: str, *, notify: bool = True) -> bool:
        """Make a target current; ``notify`` false selects silently. False if it is not listed."""
        item = self._item(key)
        if item is None:
            return False
        if item.isHidden():
            for combo in (self._kind, self._region, self._status):
                combo.setCurrentIndex(0)
            self._search.clear()
        if not notify:
            self._list.blockSignals(True)
        self._list.setCurrentItem(item)
        self._list.scrollToItem(item)
        if not notify:
            self._list.blockSignals(False)
        return True

    def select_next(self) -> bool:
        """Move to the next visible target; False at the end."""
        return self._step(+1)

    def select_previous(self) -> bool:
        """Move to the previous visible target; False at the start."""
        return self._step(-1)

    def focus_search(self) -> None:
        """Put the cursor in the search box."""
        self._search.setFocus()
        self._search.selectAll()

    def _step(self, direction: int) -> bool:
        visible = self.visible_keys()
        if not visible:
            return False
        current = self.current_key()
        if current not in visible:
            return self.select(visible[0 if direction > 0 else -1])
        position = visible.index(current) + direction
        if not 0 <= position < len(visible):
            return False
        return self.select(visible[position])

    def _item(self, key: str) -> QListWidgetItem | None:
        return self._items.get(key)

    # --- filters and progress --------------------------------------------------------------

    def _fill_regions(self, targets: Sequence[Target]) -> None:
        """Offer the regions of the list, keeping the chosen one when it is still there."""
        chosen = self._region.currentData()
        regions = sorted({t.region for t in targets if t.region})
        self._region.blockSignals(True)
        while self._region.count() > 1:
            self._region.removeItem(1)
        for region in regions:
            self._region.addItem(region, region)
        self._region.setCurrentIndex(max(self._region.findData(chosen), 0))
        self._region.setVisible(bool(regions))
        self._region.blockSignals(False)

    def _apply_filter(self) -> None:
        kind = self._kind.currentData()
        region = self._region.currentData()
        status = self._status.currentData()
        words = self._search.text().strip().lower().split()
        for i in range(self._list.count()):
            item = self._list.item(i)
            target: Target = item.data(_TARGET_ROLE)
            hidden = (
                (kind and item.data(_KIND_ROLE) != kind)
                or (region and target.region != region)
                or (status is not None and item.data(_STATUS_ROLE) != status)
                or not all(w in item.data(_SEARCH_ROLE) for w in words)
            )
            item.setHidden(bool(hidden))

    def _update_progress(self) -> None:
        total = self._list.count()
        statuses = [self._list.item(i).data(_STATUS_ROLE) for i in range(total)]
        done = sum(1 for s in statuses if s is not None and s.done)
        failed = sum(1 for s in statuses if s == TargetStatus.UNQUALIFIED)
        text = self.tr("已完成 {done} / {total}").format(done=done, total=total)
        if failed:
            text += self.tr("　不合格 {n}").format(n=failed)
        self._progress_label.setText(text)
        self._progress_bar.setRange(0, max(total, 1))
        self._progress_bar.setValue(done)

    @property
    def progress_text(self) -> str:
        """The "已完成 n / m" line as shown."""
        return self._progress_label.text()

    @Slot()
    def on_filter_changed(self) -> None:
        self._apply_filter()

    @Slot(QListWidgetItem, QListWidgetItem)
    def on_list_current_item_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if current is not None:
            self.target_selected.emit(current.data(_KEY_ROLE))
