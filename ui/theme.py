"""The workbench's look: one style sheet, so colours mean the same everywhere.

Red is for problems and unqualified, green for fine and qualified, amber for work still to do
or machine hints that need a person; everything else stays quiet grey so those stand out.
"""

STYLE_SHEET = """
QMainWindow, QSplitter { background: #f4f5f7; }
QSplitter::handle { background: #dde1e6; }
QSplitter::handle:horizontal { width: 1px; }
QStatusBar { background: #eef0f3; border-top: 1px solid #dde1e6; color: #4b5563; }
QStatusBar QLabel { color: #4b5563; padding: 0 6px; }
QStatusBar QLabel#savedLabel { color: #2e7d4f; }
QToolTip { background: #ffffff; color: #222; border: 1px solid #c9ced6; padding: 4px; }

#targetListPanel, #checklistPanel { background: #ffffff; }
QLabel#panelTitle { font-weight: 600; font-size: 14px; color: #1f2937; padding: 2px 2px 0 2px; }
QLineEdit, QComboBox {
    border: 1px solid #cfd4db; border-radius: 4px; padding: 3px 6px; background: #ffffff;
    selection-background-color: #2f6fba;
}
QLineEdit:focus, QComboBox:focus { border-color: #2f6fba; }
QListWidget#targetList {
    border: 1px solid #e3e6ea; border-radius: 4px; background: #ffffff; outline: none;
    selection-background-color: #dce8f7; selection-color: #111827;
}
QListWidget#targetList::item { border-bottom: 1px solid #f0f1f3; }
QListWidget#targetList::item:selected { background: #dce8f7; }
QListWidget#targetList::item:hover:!selected { background: #f5f8fc; }
QLabel#progressLabel { color: #374151; padding-top: 2px; }
QProgressBar#progressBar { border: none; background: #e5e7eb; border-radius: 2px; }
QProgressBar#progressBar::chunk { background: #2e8b57; border-radius: 2px; }

QToolBar#browserToolbar {
    background: #f7f8fa; border: none; border-bottom: 1px solid #dde1e6; spacing: 4px; padding: 3px;
}
QToolBar#browserToolbar QLineEdit { padding: 4px 8px; border-radius: 12px; background: #ffffff; }
QLabel#loadTime { color: #5f6b7a; padding: 0 6px; }
QLabel#loadTime[failed="true"] { color: #c62828; }
QProgressBar#loadProgress { border: none; background: transparent; }
QProgressBar#loadProgress::chunk { background: #2f6fba; }

QFrame#verdictFrame {
    background: #f0f1f3; border: none; border-left: 5px solid #9aa3af;
    border-bottom: 1px solid #e3e6ea;
}
QFrame#verdictFrame[verdict="qualified"] { background: #e9f6ee; border-left-color: #2e8b57; }
QFrame#verdictFrame[verdict="unqualified"] { background: #fdeeee; border-left-color: #c62828; }
QFrame#verdictFrame[verdict="pending"] { background: #fff7e3; border-left-color: #d69e2e; }
QLabel#verdictState { font-size: 22px; font-weight: 700; color: #6b7280; }
QFrame#verdictFrame[verdict="qualified"] QLabel#verdictState { color: #2e7d4f; }
QFrame#verdictFrame[verdict="unqualified"] QLabel#verdictState { color: #c62828; }
QFrame#verdictFrame[verdict="pending"] QLabel#verdictState { color: #a86b00; }
QLabel#verdictScore { font-size: 18px; font-weight: 600; color: #374151; }
QLabel#verdictDetail { color: #4b5563; }
QLabel#targetTitle { font-size: 15px; font-weight: 600; color: #111827; }
QLabel#targetDetails { color: #6b7280; }

QScrollArea#checklistScroll, QWidget#checklistBody { background: #ffffff; }
QLabel#groupTitle {
    background: #f1f3f6; color: #1f2937; font-weight: 600; padding: 5px 10px;
    border-top: 1px solid #e3e6ea; border-bottom: 1px solid #e3e6ea;
}
QFrame#indicatorRow { background: #ffffff; border-bottom: 1px solid #eef0f2; }
QFrame#indicatorRow[state="problem"] { background: #fff6f6; }
QFrame#indicatorRow[state="na"] QLabel#indicatorName { color: #8a929e; }
QLabel#indicatorId { color: #8a929e; font-size: 11px; }
QLabel#indicatorName { color: #1f2937; }
QToolButton#stateButton {
    border: 1px solid #cfd4db; background: #ffffff; color: #4b5563;
    padding: 2px 7px; min-width: 30px; margin-left: -1px;
}
QToolButton#stateButton:hover { background: #f3f5f8; }
QToolButton#stateButton[choice="problem"] { border-top-left-radius: 4px; border-bottom-left-radius: 4px; }
QToolButton#stateButton[choice="na"] { border-top-right-radius: 4px; border-bottom-right-radius: 4px; }
QToolButton#stateButton[choice="problem"]:checked { background: #c62828; border-color: #c62828; color: #ffffff; }
QToolButton#stateButton[choice="ok"]:checked { background: #2e8b57; border-color: #2e8b57; color: #ffffff; }
QToolButton#stateButton[choice="na"]:checked { background: #6b7280; border-color: #6b7280; color: #ffffff; }
QFrame#indicatorRow[current="true"] { border-left: 3px solid #2f6fba; background: #f5f9ff; }
QFrame#indicatorRow[current="true"][state="problem"] { background: #fff1f1; }
QLineEdit#noteEdit { padding: 2px 6px; color: #374151; }

QFrame#hintCard {
    background: #fff8e1; border: 1px solid #f0d98c; border-radius: 4px;
}
QFrame#hintCard[status="confirmed"] { background: #fdf0f0; border-color: #eab5b5; }
QFrame#hintCard[status="dismissed"] { background: #f5f6f8; border-color: #e1e4e8; }
QFrame#hintCard[status="dismissed"] QLabel#hintText { color: #9aa1ab; }
QLabel#hintText { color: #6b4a00; }
QFrame#hintCard[status="confirmed"] QLabel#hintText { color: #7f1d1d; }
QLabel#hintState { color: #8a929e; font-size: 11px; padding-right: 4px; }
QToolButton#hintButton {
    color: #2f6fba; border: none; padding: 1px 4px; background: transparent;
}
QToolButton#hintButton:hover { text-decoration: underline; background: rgba(47, 111, 186, 0.08); }
QToolButton#hintButton[action="adopt"] { color: #b42318; }
QToolButton#hintButton[action="dismiss"], QToolButton#hintButton[action="reopen"] {
    color: #6b7280;
}
QToolButton#evidenceThumb { border: 1px solid transparent; border-radius: 3px; padding: 1px; }
QToolButton#evidenceThumb:hover { border-color: #2f6fba; background: #eef4fc; }
QLabel#dropHint { color: #9aa1ab; font-size: 11px; }

QWidget#browserStage { background: #ffffff; }
QWidget#browserStage[phone="true"] { background: #e4e7eb; }
QFrame#accountPanel { background: #f7f9fc; border-top: 1px solid #e3e6ea; border-bottom: 1px solid #e3e6ea; }
QFrame#accountPanel QToolButton#stateButton { border-radius: 4px; margin-left: 0; min-width: 36px; }
QLabel#accountTitle { font-weight: 600; color: #1f2937; }
QLabel#accountSource { color: #8a929e; font-size: 11px; }
QToolButton#menuToggle {
    border: none; background: transparent; font-weight: 600; color: #1f2937; padding: 2px 0;
}
QToolButton#menuToggle[problems="true"] { color: #b42318; }
QToolButton[role="menuAction"] {
    border: 1px solid #cfd4db; border-radius: 4px; background: #ffffff; color: #374151;
    padding: 1px 7px;
}
QToolButton[role="menuAction"]:hover { background: #f3f5f8; }
QToolButton[role="menuAction"]:disabled { color: #b0b6bf; border-color: #e3e6ea; }
QTableWidget#menuTable {
    border: 1px solid #e3e6ea; border-radius: 4px; background: #ffffff; outline: none;
    selection-background-color: #dce8f7; selection-color: #111827;
}
QTableWidget#menuTable QHeaderView::section {
    background: #f1f3f6; color: #4b5563; border: none; border-bottom: 1px solid #e3e6ea;
    padding: 1px 4px;
}
QComboBox#menuStatus { border: none; border-radius: 0; padding: 0 4px; background: transparent; }
QComboBox#menuStatus[kind="problem"] { color: #b42318; font-weight: 600; }
QComboBox#menuStatus[kind="ok"] { color: #2e7d4f; }
QLabel#menuEmpty { color: #8a929e; padding: 2px 0; }
QFrame#menuOffer { background: #eef4fc; border: 1px solid #c9d9ef; border-radius: 4px; }
QFrame#menuOffer[kind="problem"] { background: #fff8e1; border-color: #f0d98c; }
QLabel#menuOfferText { color: #1f2937; }
QDateEdit { border: 1px solid #cfd4db; border-radius: 4px; padding: 2px 6px; background: #ffffff; }
QDateEdit[empty="true"] { color: #9aa1ab; }
QFrame#infoBar { background: #eef4fc; border-bottom: 1px solid #c9d9ef; }
QFrame#infoBar[level="warn"] { background: #fff8e1; border-bottom-color: #f0d98c; }
QFrame#infoBar[level="error"] { background: #fdecec; border-bottom-color: #f0b8b8; }
QLabel#infoBarText { color: #1f2937; }
QPushButton#infoBarButton { padding: 3px 12px; }
QProgressBar#busyBar { border: 1px solid #cfd4db; border-radius: 3px; background: #ffffff; }
QProgressBar#busyBar::chunk { background: #2f6fba; }
QLabel#formMessage { color: #b42318; }
QPushButton#dangerButton { color: #b42318; }
"""
