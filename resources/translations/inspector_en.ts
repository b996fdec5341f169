<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AccountController</name>
    <message>
        <source>最新发布 {day}，距检查时点 {as_of} 已 {days} 天，超过 {window} 天未更新（M-V2）</source>
        <translation>Latest post {day}, {days} days before the monitoring point {as_of}: no update within {window} days (M-V2)</translation>
    </message>
    <message>
        <source>保存失败</source>
        <translation>Not Saved</translation>
    </message>
    <message>
        <source>没有打开的页面</source>
        <translation>No page is open</translation>
    </message>
    <message>
        <source>页面上没有找到发布日期，请手工填写并截图留证</source>
        <translation>No post date found on the page; enter it by hand and keep a screenshot</translation>
    </message>
    <message>
        <source>从页面读取：{url} {text}</source>
        <translation>read from the page: {url} {text}</translation>
    </message>
    <message>
        <source>从页面读取到最新发布日期 {day}</source>
        <translation>Latest post date read from the page: {day}</translation>
    </message>
    <message>
        <source>有互动功能</source>
        <translation>interaction available</translation>
    </message>
    <message>
        <source>无有效互动功能（留言、评论、咨询入口均不可用）</source>
        <translation>no working interaction (messages, comments and consultation entry all unavailable)</translation>
    </message>
    <message>
        <source>；日期来源：{source}</source>
        <translation>; date source: {source}</translation>
    </message>
    <message>
        <source>已添加 {n} 个菜单项，{same} 个与已有的重复未添加</source>
        <translation>Added {n} menu items; {same} already listed were skipped</translation>
    </message>
    <message>
        <source>菜单项已删除</source>
        <translation>Menu item removed</translation>
    </message>
    <message>
        <source>菜单项已改为正常</source>
        <translation>Menu item set back to working</translation>
    </message>
    <message>
        <source>菜单项状态已更改</source>
        <translation>Menu item status changed</translation>
    </message>
    <message>
        <source>菜单项再次显示异常</source>
        <translation>Menu item shows a problem again</translation>
    </message>
    <message>
        <source>最新发布日期和互动功能</source>
        <translation>the latest post date and interaction</translation>
    </message>
    <message>
        <source>互动功能</source>
        <translation>interaction</translation>
    </message>
    <message>
        <source>最新发布日期</source>
        <translation>the latest post date</translation>
    </message>
    <message>
        <source>菜单项“{name}”的状态</source>
        <translation>the status of menu item “{name}”</translation>
    </message>
    <message>
        <source>菜单项“{name}”的修改</source>
        <translation>the change to menu item “{name}”</translation>
    </message>
    <message>
        <source>删除菜单项“{name}”</source>
        <translation>the removal of menu item “{name}”</translation>
    </message>
    <message>
        <source>添加菜单项“{name}”</source>
        <translation>adding menu item “{name}”</translation>
    </message>
    <message>
        <source>添加的 {n} 个菜单项</source>
        <translation>adding {n} menu items</translation>
    </message>
    <message>
        <source>无法删除菜单项</source>
        <translation>Cannot remove the menu item</translation>
    </message>
    <message>
        <source>该菜单项没有网址：请在手机上查看，或在浏览器中打开后点“检测页面”</source>
        <translation>This menu item has no URL: check it on the phone, or open it in the browser and click "Detect"</translation>
    </message>
    <message>
        <source>“{name}”的页面未发现问题标记</source>
        <translation>No problem marker on the page of "{name}"</translation>
    </message>
    <message>
        <source>页面检测：{url}</source>
        <translation>Detected on the page: {url}</translation>
    </message>
    <message>
        <source>“{name}”的页面显示“{marker}”</source>
        <translation>The page of "{name}" shows "{marker}"</translation>
    </message>
</context>
<context>
    <name>AccountPanel</name>
    <message>
        <source>手工填写</source>
        <translation>entered by hand</translation>
    </message>
    <message>
        <source>页面脚本变量</source>
        <translation>page script variable</translation>
    </message>
    <message>
        <source>页面数据</source>
        <translation>page data</translation>
    </message>
    <message>
        <source>页面列表时间</source>
        <translation>page list time</translation>
    </message>
    <message>
        <source>页面元数据</source>
        <translation>page metadata</translation>
    </message>
    <message>
        <source>新媒体账号</source>
        <translation>New-media account</translation>
    </message>
    <message>
        <source>最新发布</source>
        <translation>Latest post</translation>
    </message>
    <message>
        <source>最新一条发布的日期（M-V2）；可手工填写或从页面读取</source>
        <translation>Date of the latest post (M-V2); enter it by hand or read it from the page</translation>
    </message>
    <message>
        <source>从页面读取</source>
        <translation>From page</translation>
    </message>
    <message>
        <source>从浏览器中当前页面读取最新发布日期</source>
        <translation>Read the latest post date from the page in the browser</translation>
    </message>
    <message>
        <source>互动功能 (M-V3)</source>
        <translation>Interaction (M-V3)</translation>
    </message>
    <message>
        <source>有</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>留言、评论或咨询入口可用：M-V3 记为正常</source>
        <translation>Messages, comments or a consultation entry work: M-V3 recorded as fine</translation>
    </message>
    <message>
        <source>无</source>
        <translation>No</translation>
    </message>
    <message>
        <source>没有有效的互动功能：M-V3 记为问题</source>
        <translation>No working interaction: M-V3 recorded as a problem</translation>
    </message>
    <message>
        <source>来源：{source}</source>
        <translation>source: {source}</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>not entered</translation>
    </message>
    <message>
        <source>已记为问题</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <source>采纳为问题</source>
        <translation>Adopt</translation>
    </message>
</context>
<context>
    <name>BrowserView</name>
    <message>
        <source>输入网址后回车</source>
        <translation>Type an address and press Enter</translation>
    </message>
    <message>
        <source>页面加载用时</source>
        <translation>Page load time</translation>
    </message>
    <message>
        <source>后退</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>后退 (Alt+←)</source>
        <translation>Back (Alt+Left)</translation>
    </message>
    <message>
        <source>前进</source>
        <translation>Forward</translation>
    </message>
    <message>
        <source>前进 (Alt+→)</source>
        <translation>Forward (Alt+Right)</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>刷新 (F5)</source>
        <translation>Reload (F5)</translation>
    </message>
    <message>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>转到地址栏</source>
        <translation>Go to Address Bar</translation>
    </message>
    <message>
        <source>在系统浏览器中打开</source>
        <translation>Open in System Browser</translation>
    </message>
    <message>
        <source>在系统浏览器中打开 (Ctrl+Shift+B)</source>
        <translation>Open in the system browser (Ctrl+Shift+B)</translation>
    </message>
    <message>
        <source>仍然访问</source>
        <translation>Proceed Anyway</translation>
    </message>
    <message>
        <source>不访问</source>
        <translation>Go Back</translation>
    </message>
    <message>
        <source>证书错误：{description}
{url}
已记为机器提示。可继续访问以检查页面内容，但该网站的连接不安全。</source>
        <translation>Certificate error: {description}
{url}
Recorded as a machine hint. You may proceed to inspect the page, but the connection to this site is not secure.</translation>
    </message>
    <message>
        <source>证书错误（不可忽略）：{description}
{url}
已记为机器提示。</source>
        <translation>Certificate error (cannot be overridden): {description}
{url}
Recorded as a machine hint.</translation>
    </message>
    <message>
        <source>大小未知</source>
        <translation>size unknown</translation>
    </message>
    <message>
        <source>网页请求下载文件：{name}（{mime}，{size}）
下载到受控文件夹 {folder}？</source>
        <translation>The page wants to download a file: {name} ({mime}, {size})
Download it into the controlled folder {folder}?</translation>
    </message>
    <message>
        <source>下载</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>不下载</source>
        <translation>Don't Download</translation>
    </message>
    <message>
        <source>已下载到 {path}</source>
        <translation>Downloaded to {path}</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open Folder</translation>
    </message>
    <message>
        <source>下载失败：{reason}</source>
        <translation>Download failed: {reason}</translation>
    </message>
    <message>
        <source>已阻止打开：{url}（只允许访问网页地址）</source>
        <translation>Blocked: {url} (only web addresses may be opened)</translation>
    </message>
    <message>
        <source>加载中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>加载失败</source>
        <translation>Failed</translation>
    </message>
</context>
<context>
    <name>CaptureJob</name>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>ChecklistPanel</name>
    <message>
        <source>单项否决</source>
        <translation>Single-veto indicators</translation>
    </message>
    <message>
        <source>扣分指标</source>
        <translation>Deduction indicators</translation>
    </message>
    <message>
        <source>加分指标</source>
        <translation>Bonus indicators</translation>
    </message>
    <message>
        <source>任何一项有问题即为不合格</source>
        <translation>Any problem here makes the target unqualified</translation>
    </message>
    <message>
        <source>从 100 分中扣分</source>
        <translation>Points are taken off from 100</translation>
    </message>
    <message>
        <source>仅门户网站，达到加分线后计算</source>
        <translation>Portals only, counted above the bonus line</translation>
    </message>
    <message>
        <source>政务新媒体</source>
        <translation>Government new media</translation>
    </message>
    <message>
        <source>门户网站</source>
        <translation>Portal</translation>
    </message>
    <message>
        <source>网站</source>
        <translation>Website</translation>
    </message>
    <message>
        <source>网站标识码 {code}</source>
        <translation>Site code {code}</translation>
    </message>
    <message>
        <source>未选择检查对象</source>
        <translation>No target selected</translation>
    </message>
    <message>
        <source>在左侧列表中选择一个网站或政务新媒体账号。</source>
        <translation>Pick a website or new-media account in the list on the left.</translation>
    </message>
    <message>
        <source>把截图拖到指标上（或按 Ctrl+V 粘贴）即作为该指标的证据；拖到此处则作为整个对象的证据。</source>
        <translation>Drop a screenshot on an indicator (or paste it with Ctrl+V) to make it that indicator's evidence; drop it here for the whole target.</translation>
    </message>
    <message>
        <source>{n} 项</source>
        <translation>{n} items</translation>
    </message>
</context>
<context>
    <name>ConflictsTab</name>
    <message>
        <source>保留的结论：</source>
        <translation>Result to keep:</translation>
    </message>
    <message>
        <source>理由（必填）：</source>
        <translation>Reason (required):</translation>
    </message>
    <message>
        <source>检查对象</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>各检查员的结论</source>
        <translation>Each inspector's result</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>为什么保留这一结论（记入审计日志）</source>
        <translation>Why this result is kept (kept in the audit log)</translation>
    </message>
    <message>
        <source>裁定</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <source>无法读取季度文件：{error}</source>
        <translation>Cannot read the quarter file: {error}</translation>
    </message>
    <message>
        <source>请填写理由：它会记入审计日志。</source>
        <translation>Please give a reason: it is kept in the audit log.</translation>
    </message>
    <message>
        <source>协调员</source>
        <translation>coordinator</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Fine</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>N/A</translation>
    </message>
    <message>
        <source>{who}：{state}</source>
        <translation>{who}: {state}</translation>
    </message>
    <message>
        <source>（{note}）</source>
        <translation> ({note})</translation>
    </message>
    <message>
        <source>待裁定</source>
        <translation>To settle</translation>
    </message>
    <message>
        <source>已裁定：{state}（{who}）
理由：{reason}</source>
        <translation>Settled: {state} ({who})
Reason: {reason}</translation>
    </message>
    <message>
        <source>尚未选择季度文件，或季度文件尚未生成。</source>
        <translation>No quarter file chosen yet, or it has not been created yet.</translation>
    </message>
    <message>
        <source>{name}：共 {n} 项冲突，{open} 项待裁定。</source>
        <translation>{name}: {n} conflict(s), {open} to settle.</translation>
    </message>
    <message>
        <source>（{who}）</source>
        <translation> ({who})</translation>
    </message>
</context>
<context>
    <name>CoordinatorAction</name>
    <message>
        <source>季度汇总（协调员）…</source>
        <translation>Quarter Summary (Coordinator)…</translation>
    </message>
    <message>
        <source>合并检查员的结果文件，裁定冲突，预览并导出季度通报</source>
        <translation>Merge the inspectors' findings files, settle conflicts, preview and export the quarter report</translation>
    </message>
</context>
<context>
    <name>CoordinatorWindow</name>
    <message>
        <source>季度汇总（协调员）</source>
        <translation>Quarter Summary (Coordinator)</translation>
    </message>
    <message>
        <source>合并</source>
        <translation>Merge</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>通报预览</source>
        <translation>Report Preview</translation>
    </message>
    <message>
        <source>要合并的检查员结果文件：</source>
        <translation>Inspectors' findings files to merge:</translation>
    </message>
    <message>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>选择或新建…</source>
        <translation>Choose or Create…</translation>
    </message>
    <message>
        <source>季度文件（不存在时新建，存在时追加）</source>
        <translation>Quarter file (created when missing, added to when it exists)</translation>
    </message>
    <message>
        <source>合并人的姓名，记入审计日志</source>
        <translation>Name of the person merging, kept in the audit log</translation>
    </message>
    <message>
        <source>季度文件：</source>
        <translation>Quarter file:</translation>
    </message>
    <message>
        <source>协调员：</source>
        <translation>Coordinator:</translation>
    </message>
    <message>
        <source>正在合并 {n} 个文件…</source>
        <translation>Merging {n} file(s)…</translation>
    </message>
    <message>
        <source>已新建</source>
        <translation>created</translation>
    </message>
    <message>
        <source>已追加到</source>
        <translation>added to</translation>
    </message>
    <message>
        <source>合并完成：{verb} {name}，{n} 个文件，{c} 项冲突待处理。</source>
        <translation>Merge done: {verb} {name}, {n} file(s), {c} conflict(s) to settle.</translation>
    </message>
    <message>
        <source>（没有新内容）</source>
        <translation> (nothing new)</translation>
    </message>
    <message>
        <source>合并被拒绝，未写入任何内容。请处理下列文件后重试：</source>
        <translation>Merge refused, nothing was written. Deal with these files and merge again:</translation>
    </message>
    <message>
        <source>合并失败，季度文件保持原样。</source>
        <translation>The merge failed; the quarter file is unchanged.</translation>
    </message>
    <message>
        <source>添加检查员的结果文件</source>
        <translation>Add Inspectors' Findings Files</translation>
    </message>
    <message>
        <source>检查结果文件 (*.sqlite *.db)</source>
        <translation>Findings files (*.sqlite *.db)</translation>
    </message>
    <message>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>选择或新建季度文件</source>
        <translation>Choose or Create the Quarter File</translation>
    </message>
    <message>
        <source>季度文件 (*.sqlite)</source>
        <translation>Quarter files (*.sqlite)</translation>
    </message>
    <message>
        <source>合并进行中，完成后才能关闭。</source>
        <translation>A merge is running; the window closes once it is done.</translation>
    </message>
</context>
<context>
    <name>Evidence</name>
    <message>
        <source>可见区域截图</source>
        <translation>Visible-area screenshot</translation>
    </message>
    <message>
        <source>整页截图</source>
        <translation>Full-page screenshot</translation>
    </message>
    <message>
        <source>网页快照（MHTML）</source>
        <translation>Page snapshot (MHTML)</translation>
    </message>
    <message>
        <source>图片（手机截图等）</source>
        <translation>Image (phone screenshot etc.)</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>图片过大（{size}）：{name}</source>
        <translation>Image too large ({size}): {name}</translation>
    </message>
    <message>
        <source>无法读取文件：{name}（{error}）</source>
        <translation>Cannot read the file: {name} ({error})</translation>
    </message>
    <message>
        <source>不是 PNG、JPEG 或 WebP 图片：{name}</source>
        <translation>Not a PNG, JPEG or WebP image: {name}</translation>
    </message>
    <message>
        <source>只能添加本机文件：{url}</source>
        <translation>Only files on this computer can be added: {url}</translation>
    </message>
    <message>
        <source>删除证据</source>
        <translation>Remove Evidence</translation>
    </message>
    <message>
        <source>删除证据 #{id} 的理由（记入审计日志）：</source>
        <translation>Why remove evidence #{id}? (kept in the audit log)</translation>
    </message>
</context>
<context>
    <name>EvidenceStrip</name>
    <message>
        <source>查看…</source>
        <translation>View…</translation>
    </message>
    <message>
        <source>删除…</source>
        <translation>Remove…</translation>
    </message>
</context>
<context>
    <name>EvidenceViewerDialog</name>
    <message>
        <source>证据 #{id} · {kind}</source>
        <translation>Evidence #{id} · {kind}</translation>
    </message>
    <message>
        <source>网页快照（MHTML）保存了网页的 HTML、样式和图片，可导出后用浏览器打开查看。</source>
        <translation>A page snapshot (MHTML) keeps the page's HTML, styles and images together; export it and open it in a browser to look at it.</translation>
    </message>
    <message>
        <source>该证据不是图片，可导出后查看。</source>
        <translation>This evidence is not an image; export it to look at it.</translation>
    </message>
    <message>
        <source>检查对象</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>（整个对象）</source>
        <translation>(whole target)</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>网址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>截取时间</source>
        <translation>Captured</translation>
    </message>
    <message>
        <source>检查员</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>原始大小</source>
        <translation>Actual Size</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>删除…</source>
        <translation>Remove…</translation>
    </message>
    <message>
        <source>导出证据</source>
        <translation>Export Evidence</translation>
    </message>
</context>
<context>
    <name>FullPageCapture</name>
    <message>
        <source>无法测量页面高度</source>
        <translation>cannot measure the page height</translation>
    </message>
    <message>
        <source>页面不可见，无法截取</source>
        <translation>the page is not visible, nothing to capture</translation>
    </message>
    <message>
        <source>浏览器已关闭</source>
        <translation>the browser was closed</translation>
    </message>
    <message>
        <source>截图为空</source>
        <translation>the capture is empty</translation>
    </message>
    <message>
        <source>页面过长，只截取了前 {px} 像素</source>
        <translation>page too long: only the first {px} pixels were captured</translation>
    </message>
    <message>
        <source>截取过程中页面发生了跳转</source>
        <translation>the page navigated away during the capture</translation>
    </message>
</context>
<context>
    <name>HintCard</name>
    <message>
        <source>无法访问</source>
        <translation>Unreachable</translation>
    </message>
    <message>
        <source>被拦截，需人工查看</source>
        <translation>Blocked, check by hand</translation>
    </message>
    <message>
        <source>首页长期未更新</source>
        <translation>Homepage not updated</translation>
    </message>
    <message>
        <source>栏目长期未更新</source>
        <translation>Column not updated</translation>
    </message>
    <message>
        <source>空白栏目</source>
        <translation>Blank column</translation>
    </message>
    <message>
        <source>栏目建设中</source>
        <translation>Column under construction</translation>
    </message>
    <message>
        <source>链接无法打开</source>
        <translation>Broken link</translation>
    </message>
    <message>
        <source>图片无法显示</source>
        <translation>Broken image</translation>
    </message>
    <message>
        <source>分页不一致</source>
        <translation>Pagination out of step</translation>
    </message>
    <message>
        <source>错误页面</source>
        <translation>Error page (soft 404)</translation>
    </message>
    <message>
        <source>缺少网站标识码</source>
        <translation>Site code missing</translation>
    </message>
    <message>
        <source>缺少 ICP 备案号</source>
        <translation>ICP record number missing</translation>
    </message>
    <message>
        <source>缺少公安备案号</source>
        <translation>Public-security record number missing</translation>
    </message>
    <message>
        <source>账号长期未更新</source>
        <translation>Account not updated</translation>
    </message>
    <message>
        <source>功能无法使用</source>
        <translation>Function unusable</translation>
    </message>
    <message>
        <source>证书错误</source>
        <translation>Certificate error</translation>
    </message>
    <message>
        <source>问题地址：{url}
所在页面：{found_on}
发现时间：{at}　来源：{source}</source>
        <translation>At fault: {url}
Found on: {found_on}
Found: {at}  Source: {source}</translation>
    </message>
    <message>
        <source>查看问题 ↗</source>
        <translation>Proof ↗</translation>
    </message>
    <message>
        <source>在浏览器中打开：{url}</source>
        <translation>Open in the browser: {url}</translation>
    </message>
    <message>
        <source>所在页面 ↗</source>
        <translation>Source page ↗</translation>
    </message>
    <message>
        <source>采纳为问题</source>
        <translation>Adopt</translation>
    </message>
    <message>
        <source>确认该提示，并将此指标记为“问题”</source>
        <translation>Confirm this hint and mark the indicator as a problem</translation>
    </message>
    <message>
        <source>忽略</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <source>该提示不成立，不再显示为待处理</source>
        <translation>This hint does not hold; no longer shown as open</translation>
    </message>
    <message>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>重新作为待处理的提示</source>
        <translation>Make this hint open again</translation>
    </message>
    <message>
        <source>已采纳</source>
        <translation>adopted</translation>
    </message>
    <message>
        <source>已忽略</source>
        <translation>dismissed</translation>
    </message>
</context>
<context>
    <name>IndicatorRow</name>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>N/A</translation>
    </message>
    <message>
        <source>（{points} 分）</source>
        <translation> ({points} points)</translation>
    </message>
    <message>
        <source>{word}（按 {key}；再点一次取消）</source>
        <translation>{word} (key {key}; click again to clear)</translation>
    </message>
    <message>
        <source>备注（问题所在、页面位置等）</source>
        <translation>Note (what is wrong and where)</translation>
    </message>
    <message>
        <source>备注：离开输入框时保存</source>
        <translation>Note: saved when you leave the field</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>政府网站与政务新媒体检查工作台</source>
        <translation>Government Website &amp; New-Media Inspection Workbench</translation>
    </message>
    <message>
        <source>正在扫描，请等待完成或先停止扫描。</source>
        <translation>A scan is running; wait for it to finish or stop it first.</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>最近打开(&amp;R)</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>检查(&amp;C)</source>
        <translation>&amp;Check</translation>
    </message>
    <message>
        <source>证据(&amp;V)</source>
        <translation>E&amp;vidence</translation>
    </message>
    <message>
        <source>导航(&amp;N)</source>
        <translation>&amp;Navigate</translation>
    </message>
    <message>
        <source>浏览(&amp;B)</source>
        <translation>&amp;Browser</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>新建检查结果文件…</source>
        <translation>New Findings File…</translation>
    </message>
    <message>
        <source>从抽查名单新建检查结果文件</source>
        <translation>Create a findings file from a sample list</translation>
    </message>
    <message>
        <source>打开检查结果文件…</source>
        <translation>Open Findings File…</translation>
    </message>
    <message>
        <source>打开一个检查结果文件（.sqlite）</source>
        <translation>Open a findings file (.sqlite)</translation>
    </message>
    <message>
        <source>导入抽查名单…</source>
        <translation>Import Sample List…</translation>
    </message>
    <message>
        <source>把抽查名单（CSV/XLSX）中的对象加入当前文件</source>
        <translation>Add the targets of a sample list (CSV/XLSX) to this file</translation>
    </message>
    <message>
        <source>导入手机截图文件夹…</source>
        <translation>Import Phone Screenshot Folder…</translation>
    </message>
    <message>
        <source>把一个文件夹中的手机截图按文件名对应到账号，作为证据导入</source>
        <translation>Import a folder of phone screenshots as evidence, matched to accounts by file name</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>撤销上一次检查结论</source>
        <translation>Undo Last Judgement</translation>
    </message>
    <message>
        <source>撤销本人最近一次勾选（记入审计日志）</source>
        <translation>Undo your last tick (audited)</translation>
    </message>
    <message>
        <source>当前指标记为“问题”</source>
        <translation>Mark Indicator as Problem</translation>
    </message>
    <message>
        <source>当前指标记为“正常”</source>
        <translation>Mark Indicator as OK</translation>
    </message>
    <message>
        <source>当前指标记为“不适用”</source>
        <translation>Mark Indicator as N/A</translation>
    </message>
    <message>
        <source>清除当前指标的结论</source>
        <translation>Clear Indicator</translation>
    </message>
    <message>
        <source>下一项指标</source>
        <translation>Next Indicator</translation>
    </message>
    <message>
        <source>上一项指标</source>
        <translation>Previous Indicator</translation>
    </message>
    <message>
        <source>下一个检查对象</source>
        <translation>Next Target</translation>
    </message>
    <message>
        <source>上一个检查对象</source>
        <translation>Previous Target</translation>
    </message>
    <message>
        <source>搜索检查对象</source>
        <translation>Search Targets</translation>
    </message>
    <message>
        <source>转到检查对象列表</source>
        <translation>Go to Target List</translation>
    </message>
    <message>
        <source>转到网页</source>
        <translation>Go to Page</translation>
    </message>
    <message>
        <source>转到检查指标</source>
        <translation>Go to Checklist</translation>
    </message>
    <message>
        <source>截取可见区域</source>
        <translation>Capture Visible Area</translation>
    </message>
    <message>
        <source>把网页当前可见部分保存为证据（PNG）</source>
        <translation>Save the visible part of the page as evidence (PNG)</translation>
    </message>
    <message>
        <source>截取整页</source>
        <translation>Capture Full Page</translation>
    </message>
    <message>
        <source>滚动截取整个网页并拼接保存为证据（PNG）</source>
        <translation>Scroll through the whole page and save it as one image (PNG)</translation>
    </message>
    <message>
        <source>保存网页快照（MHTML）</source>
        <translation>Save Page Snapshot (MHTML)</translation>
    </message>
    <message>
        <source>把网页连同样式和图片保存为一个 MHTML 文件，作为证据</source>
        <translation>Save the page with its styles and images as one MHTML file, as evidence</translation>
    </message>
    <message>
        <source>从文件添加图片…</source>
        <translation>Add Image from File…</translation>
    </message>
    <message>
        <source>添加手机截图等图片作为证据</source>
        <translation>Add phone screenshots or other images as evidence</translation>
    </message>
    <message>
        <source>粘贴图片</source>
        <translation>Paste Image</translation>
    </message>
    <message>
        <source>把剪贴板中的图片作为证据</source>
        <translation>Use the image on the clipboard as evidence</translation>
    </message>
    <message>
        <source>查看证据</source>
        <translation>View Evidence</translation>
    </message>
    <message>
        <source>查看当前指标（或对象）最新的证据</source>
        <translation>Show the latest evidence of the current indicator (or target)</translation>
    </message>
    <message>
        <source>保留登录状态（持久化浏览器配置）</source>
        <translation>Keep Logins (Persistent Browser Profile)</translation>
    </message>
    <message>
        <source>不勾选时，浏览器不在本机保留任何 Cookie、缓存和登录状态</source>
        <translation>When off, the browser keeps no cookies, cache or logins on this computer</translation>
    </message>
    <message>
        <source>新媒体账号用手机尺寸显示</source>
        <translation>Phone-Sized View for Accounts</translation>
    </message>
    <message>
        <source>打开新媒体账号时，页面以 390×844 的手机尺寸居中显示</source>
        <translation>Show new-media accounts in a centred 390×844 phone-sized view</translation>
    </message>
    <message>
        <source>新媒体账号用手机浏览器标识</source>
        <translation>Mobile User Agent for Accounts</translation>
    </message>
    <message>
        <source>打开新媒体账号时以手机微信浏览器的身份访问，网站仍用电脑浏览器标识</source>
        <translation>Visit new-media accounts as a phone's WeChat browser; websites keep the desktop user agent</translation>
    </message>
    <message>
        <source>扫描当前对象</source>
        <translation>Scan Current Target</translation>
    </message>
    <message>
        <source>在后台扫描当前网站，提示出现在相应指标旁</source>
        <translation>Scan the current website in the background; hints appear beside their indicators</translation>
    </message>
    <message>
        <source>扫描全部对象</source>
        <translation>Scan All Targets</translation>
    </message>
    <message>
        <source>在后台逐个扫描名单中的全部网站，结果随完成随显示</source>
        <translation>Scan every website of the list in the background; results appear as each target finishes</translation>
    </message>
    <message>
        <source>停止扫描</source>
        <translation>Stop Scan</translation>
    </message>
    <message>
        <source>停止扫描；已完成对象的提示保留</source>
        <translation>Stop the scan; the hints of finished targets are kept</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>{name} · {quarter} · 检查员：{who}</source>
        <translation>{name} · {quarter} · Inspector: {who}</translation>
    </message>
    <message>
        <source>该文件同时在另一个窗口中打开（进程 {pid}），修改会互相可见。</source>
        <translation>This file is also open in another window (process {pid}); each sees the other's changes.</translation>
    </message>
    <message>
        <source>上次未正常关闭</source>
        <translation>Last Session Did Not Close Cleanly</translation>
    </message>
    <message>
        <source>每次修改立即写入检查结果文件</source>
        <translation>Every change is written to the findings file at once</translation>
    </message>
    <message>
        <source>无法打开</source>
        <translation>Cannot Open</translation>
    </message>
    <message>
        <source>指标体系不可用</source>
        <translation>Profile Unavailable</translation>
    </message>
    <message>
        <source>已打开 {path}</source>
        <translation>Opened {path}</translation>
    </message>
    <message>
        <source>请先用 J / K 或 ↑ / ↓ 选择一项指标</source>
        <translation>Pick an indicator first with J / K or Up / Down</translation>
    </message>
    <message>
        <source>请先选择检查对象</source>
        <translation>Select a target first</translation>
    </message>
    <message>
        <source>整个对象</source>
        <translation>the whole target</translation>
    </message>
    <message>
        <source>检查结果文件已切换，该证据未保存</source>
        <translation>Another findings file was opened; this evidence was not saved</translation>
    </message>
    <message>
        <source>证据未保存</source>
        <translation>Evidence Not Saved</translation>
    </message>
    <message>
        <source>已保存证据 #{id} {time}</source>
        <translation>Evidence #{id} saved {time}</translation>
    </message>
    <message>
        <source>证据 #{id} 已保存，附于 {where}</source>
        <translation>Evidence #{id} saved, attached to {where}</translation>
    </message>
    <message>
        <source>外部图片：{name}</source>
        <translation>Image from outside: {name}</translation>
    </message>
    <message>
        <source>无法删除证据</source>
        <translation>Cannot Remove Evidence</translation>
    </message>
    <message>
        <source>已删除证据 #{id} {time}</source>
        <translation>Evidence #{id} removed {time}</translation>
    </message>
    <message>
        <source>保存失败</source>
        <translation>Not Saved</translation>
    </message>
    <message>
        <source>已撤销 {what} {time}</source>
        <translation>Undid {what} {time}</translation>
    </message>
    <message>
        <source>已撤销：{what}</source>
        <translation>Undid {what}</translation>
    </message>
    <message>
        <source>已保存 {time}</source>
        <translation>Saved {time}</translation>
    </message>
    <message>
        <source>未添加</source>
        <translation>Not Added</translation>
    </message>
    <message>
        <source>页面加载完成，用时 {ms} ms</source>
        <translation>Page loaded in {ms} ms</translation>
    </message>
    <message>
        <source>页面加载失败</source>
        <translation>The page failed to load</translation>
    </message>
    <message>
        <source>截图失败：{error}</source>
        <translation>Capture failed: {error}</translation>
    </message>
    <message>
        <source>菜单项：{name}</source>
        <translation>Menu item: {name}</translation>
    </message>
    <message>
        <source>正在截取整页…</source>
        <translation>Capturing the full page…</translation>
    </message>
    <message>
        <source>正在保存网页快照…</source>
        <translation>Saving a page snapshot…</translation>
    </message>
    <message>
        <source>未能保存证据：{reason}</source>
        <translation>No evidence saved: {reason}</translation>
    </message>
    <message>
        <source>添加图片证据</source>
        <translation>Add Image Evidence</translation>
    </message>
    <message>
        <source>图片 (*.png *.jpg *.jpeg *.webp)</source>
        <translation>Images (*.png *.jpg *.jpeg *.webp)</translation>
    </message>
    <message>
        <source>剪贴板中没有图片</source>
        <translation>There is no image on the clipboard</translation>
    </message>
    <message>
        <source>该对象还没有证据</source>
        <translation>This target has no evidence yet</translation>
    </message>
    <message>
        <source>开始扫描 {count} 个对象…</source>
        <translation>Scanning {count} targets…</translation>
    </message>
    <message>
        <source>扫描中 {done}/{total}：{text}</source>
        <translation>Scanning {done}/{total}: {text}</translation>
    </message>
    <message>
        <source>扫描已停止，已完成对象的提示已保存。</source>
        <translation>Scan stopped; the hints of finished targets are saved.</translation>
    </message>
    <message>
        <source>扫描完成，提示已保存。</source>
        <translation>Scan finished; hints saved.</translation>
    </message>
    <message>
        <source>扫描失败</source>
        <translation>Scan failed</translation>
    </message>
    <message>
        <source>浏览器将保留登录状态（Cookie 保存在本机）</source>
        <translation>The browser now keeps logins (cookies are stored on this computer)</translation>
    </message>
    <message>
        <source>浏览器使用无痕配置：关闭后不保留任何浏览数据</source>
        <translation>The browser is off the record: nothing is kept after closing</translation>
    </message>
    <message>
        <source>已是最后一个检查对象</source>
        <translation>This is the last target</translation>
    </message>
    <message>
        <source>已是第一个检查对象</source>
        <translation>This is the first target</translation>
    </message>
    <message>
        <source>无法撤销</source>
        <translation>Cannot Undo</translation>
    </message>
    <message>
        <source>没有可撤销的操作</source>
        <translation>Nothing to undo</translation>
    </message>
    <message>
        <source>无法新建</source>
        <translation>Cannot Create</translation>
    </message>
    <message>
        <source>已新建 {name}：{n} 个检查对象，{bad} 行有误未导入。</source>
        <translation>Created {name}: {n} targets; {bad} bad rows were not imported.</translation>
    </message>
    <message>
        <source>新建检查结果文件</source>
        <translation>New Findings File</translation>
    </message>
    <message>
        <source>第 {row} 行：{message}</source>
        <translation>Row {row}: {message}</translation>
    </message>
    <message>
        <source>打开检查结果文件</source>
        <translation>Open Findings File</translation>
    </message>
    <message>
        <source>检查结果文件 (*.sqlite *.db)</source>
        <translation>Findings files (*.sqlite *.db)</translation>
    </message>
    <message>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>导入抽查名单</source>
        <translation>Import Sample List</translation>
    </message>
    <message>
        <source>抽查名单 (*.csv *.xlsx)</source>
        <translation>Sample lists (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>导入失败</source>
        <translation>Import Failed</translation>
    </message>
    <message>
        <source>名单中 {n} 个对象，新增或更新 {changed} 个；{bad} 行有误未导入。</source>
        <translation>{n} targets in the list, {changed} added or updated; {bad} bad rows were not imported.</translation>
    </message>
    <message>
        <source>导入手机截图文件夹</source>
        <translation>Import Phone Screenshot Folder</translation>
    </message>
    <message>
        <source>文件夹中没有图片（PNG、JPEG、WebP）</source>
        <translation>The folder has no images (PNG, JPEG, WebP)</translation>
    </message>
    <message>
        <source>手机截图：{name}；文件时间 {time}</source>
        <translation>phone screenshot: {name}; file time {time}</translation>
    </message>
    <message>
        <source>；拍摄时间（EXIF）{time}</source>
        <translation>; taken (EXIF) {time}</translation>
    </message>
    <message>
        <source>已导入 {n} 张手机截图</source>
        <translation>Imported {n} phone screenshots</translation>
    </message>
    <message>
        <source>版本 {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <source>供检查员抽查政府网站和政务新媒体使用：勾选指标、记录备注、保存证据，结论与得分实时计算，所有结果即时保存在检查结果文件中。</source>
        <translation>For inspectors spot-checking government websites and new-media accounts: tick indicators, write notes, capture evidence; the verdict and score update live and every result is saved in the findings file at once.</translation>
    </message>
    <message>
        <source>指标体系：{name}</source>
        <translation>Indicator profile: {name}</translation>
    </message>
</context>
<context>
    <name>MenuEntryDialog</name>
    <message>
        <source>添加菜单项</source>
        <translation>Add Menu Item</translation>
    </message>
    <message>
        <source>如：办事服务 &gt; 社保查询</source>
        <translation>e.g. 办事服务 &gt; 社保查询 (Services &gt; Social security)</translation>
    </message>
    <message>
        <source>可选：菜单打开的网址</source>
        <translation>Optional: the URL the menu opens</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>网址</source>
        <translation>URL</translation>
    </message>
</context>
<context>
    <name>MenuListPanel</name>
    <message>
        <source>（没有网址）</source>
        <translation>(no URL)</translation>
    </message>
    <message>
        <source>页面显示：{marker}</source>
        <translation>The page shows: {marker}</translation>
    </message>
    <message>
        <source>{n} 份证据</source>
        <translation>{n} pieces of evidence</translation>
    </message>
    <message>
        <source>导入菜单清单</source>
        <translation>Import Menu List</translation>
    </message>
    <message>
        <source>菜单清单 (*.txt *.csv *.xlsx)</source>
        <translation>Menu lists (*.txt *.csv *.xlsx)</translation>
    </message>
    <message>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>无法导入菜单清单</source>
        <translation>Cannot import the menu list</translation>
    </message>
    <message>
        <source>{name} 中没有可识别的菜单项（每行：名称，网址）</source>
        <translation>{name} holds no menu items (one a line: name, URL)</translation>
    </message>
    <message>
        <source>删除菜单项</source>
        <translation>Remove Menu Item</translation>
    </message>
    <message>
        <source>删除菜单项“{name}”的理由（记入审计日志；其证据保留）：</source>
        <translation>Why remove the menu item "{name}"? (kept in the audit log; its evidence stays)</translation>
    </message>
    <message>
        <source>菜单项</source>
        <translation>Menu item</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>页面标记</source>
        <translation>Page marker</translation>
    </message>
    <message>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>还没有菜单项：逐项添加，粘贴一份清单，或从 TXT / CSV / XLSX 导入。</source>
        <translation>No menu items yet: add them one by one, paste a list, or import a TXT / CSV / XLSX file.</translation>
    </message>
    <message>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>添加一个菜单项（名称和网址）</source>
        <translation>Add a menu item (name and URL)</translation>
    </message>
    <message>
        <source>粘贴列表</source>
        <translation>Paste list</translation>
    </message>
    <message>
        <source>粘贴菜单清单：每行一项，名称后跟网址</source>
        <translation>Paste a menu list: one item a line, the name followed by the URL</translation>
    </message>
    <message>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>从 TXT、CSV 或 XLSX 文件导入菜单清单</source>
        <translation>Import a menu list from a TXT, CSV or XLSX file</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>在浏览器中打开选中的菜单项（或双击）</source>
        <translation>Open the selected menu item in the browser (or double-click it)</translation>
    </message>
    <message>
        <source>检测页面</source>
        <translation>Detect</translation>
    </message>
    <message>
        <source>在浏览器当前页面中查找“正在开发中”“已过期”“维护中”等标记</source>
        <translation>Look for markers such as "under development", "expired" or "maintenance" on the page in the browser</translation>
    </message>
    <message>
        <source>截图</source>
        <translation>Screenshot</translation>
    </message>
    <message>
        <source>截取浏览器可见区域，作为选中菜单项的证据</source>
        <translation>Capture the visible page as evidence of the selected menu item</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>删除选中的菜单项（需填写理由）</source>
        <translation>Remove the selected menu item (a reason is required)</translation>
    </message>
    <message>
        <source>菜单 {n} 项</source>
        <translation>Menus: {n}</translation>
    </message>
    <message>
        <source>菜单</source>
        <translation>Menus</translation>
    </message>
    <message>
        <source>异常 {n}</source>
        <translation>problems {n}</translation>
    </message>
    <message>
        <source>未检查 {n}</source>
        <translation>not checked {n}</translation>
    </message>
    <message>
        <source>展开或收起菜单清单（M-D2 功能不可用、M-D3 菜单链接失效）</source>
        <translation>Show or hide the menu list (M-D2 functions unusable, M-D3 dead menu links)</translation>
    </message>
    <message>
        <source>“{name}”的页面无法打开</source>
        <translation>The page of "{name}" does not open</translation>
    </message>
    <message>
        <source>“{name}”的页面未发现问题标记</source>
        <translation>No problem marker on the page of "{name}"</translation>
    </message>
    <message>
        <source>页面已打开，没有“正在开发中”“已过期”“维护中”等标记；请看一眼页面再确认</source>
        <translation>The page opened with no marker such as "under development", "expired" or "maintenance"; glance at it before confirming</translation>
    </message>
    <message>
        <source>记为“{status}”</source>
        <translation>Mark as "{status}"</translation>
    </message>
</context>
<context>
    <name>MenuPasteDialog</name>
    <message>
        <source>粘贴菜单清单</source>
        <translation>Paste Menu List</translation>
    </message>
    <message>
        <source>每行一项：菜单名称，后跟网址（可用制表符、空格或逗号分隔）；“办事服务 &gt; 社保查询”这样的层级名称保留。</source>
        <translation>One item a line: the menu name followed by its URL (separated by a tab, spaces or a comma); nested names such as "办事服务 &gt; 社保查询" are kept.</translation>
    </message>
    <message>
        <source>识别到 {n} 项</source>
        <translation>{n} items found</translation>
    </message>
    <message>
        <source>，跳过 {n} 行（表头、分隔线或重复项）</source>
        <translation>, {n} lines skipped (headers, separators or repeats)</translation>
    </message>
</context>
<context>
    <name>MhtmlCapture</name>
    <message>
        <source>网页快照保存失败：{reason}</source>
        <translation>the page snapshot failed: {reason}</translation>
    </message>
    <message>
        <source>网页快照超时</source>
        <translation>the page snapshot timed out</translation>
    </message>
</context>
<context>
    <name>NewWorkspaceDialog</name>
    <message>
        <source>新建检查结果文件</source>
        <translation>New Findings File</translation>
    </message>
    <message>
        <source>CSV 或 XLSX 抽查名单</source>
        <translation>CSV or XLSX sample list</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>另存为…</source>
        <translation>Save As…</translation>
    </message>
    <message>
        <source>抽查名单</source>
        <translation>Sample list</translation>
    </message>
    <message>
        <source>检查员</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <source>季度</source>
        <translation>Quarter</translation>
    </message>
    <message>
        <source>指标体系</source>
        <translation>Indicator profile</translation>
    </message>
    <message>
        <source>保存为</source>
        <translation>Save as</translation>
    </message>
    <message>
        <source>请选择抽查名单文件。</source>
        <translation>Choose the sample list file.</translation>
    </message>
    <message>
        <source>请填写检查员姓名。</source>
        <translation>Enter the inspector's name.</translation>
    </message>
    <message>
        <source>季度格式如 2025Q2。</source>
        <translation>The quarter looks like 2025Q2.</translation>
    </message>
    <message>
        <source>请选择保存位置。</source>
        <translation>Choose where to save the file.</translation>
    </message>
    <message>
        <source>该文件已存在，不会覆盖；请换一个文件名。</source>
        <translation>That file exists and will not be overwritten; choose another name.</translation>
    </message>
    <message>
        <source>选择抽查名单</source>
        <translation>Choose Sample List</translation>
    </message>
    <message>
        <source>抽查名单 (*.csv *.xlsx)</source>
        <translation>Sample lists (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>保存检查结果文件</source>
        <translation>Save Findings File</translation>
    </message>
    <message>
        <source>检查结果文件 (*.sqlite)</source>
        <translation>Findings files (*.sqlite)</translation>
    </message>
</context>
<context>
    <name>PhoneImportDialog</name>
    <message>
        <source>导入手机截图</source>
        <translation>Import Phone Screenshots</translation>
    </message>
    <message>
        <source>{folder}：{n} 张图片，{matched} 张已按文件名对应到账号，其余请在下表中选择账号。</source>
        <translation>{folder}: {n} images, {matched} matched to accounts by file name; choose the account of the rest below.</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>账号</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(do not import)</translation>
    </message>
    <message>
        <source>导入 {n} 张</source>
        <translation>Import {n}</translation>
    </message>
</context>
<context>
    <name>ReportPreviewTab</name>
    <message>
        <source>刷新</source>
        <extracomment>Export formats: the domain's format name and the file name pattern offered. Charts are drawn at the width they are shown at: scaled down, their small labels blur.</extracomment>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>与上季度对比：</source>
        <translation>Compare with:</translation>
    </message>
    <message>
        <source>上季度文件…</source>
        <translation>Previous Quarter File…</translation>
    </message>
    <message>
        <source>选择上季度的季度文件：通报增加环比变化和附件3（上季度不合格本季度仍未整改）</source>
        <translation>Choose last quarter's quarter file: the report gains the change since last quarter and Attachment 3 (last quarter's unqualified targets still unqualified)</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>不再与上季度比较</source>
        <translation>Stop comparing with the previous quarter</translation>
    </message>
    <message>
        <source>未选择上季度文件：通报不含环比变化和附件3</source>
        <translation>No previous quarter file: the report has no change since last quarter and no Attachment 3</translation>
    </message>
    <message>
        <source>导出 {format}…</source>
        <translation>Export {format}…</translation>
    </message>
    <message>
        <source>正在读取上季度文件 {name}…</source>
        <translation>Reading the previous quarter's file {name}…</translation>
    </message>
    <message>
        <source>导出通报</source>
        <translation>Export Report</translation>
    </message>
    <message>
        <source>正在导出 {name}…</source>
        <translation>Exporting {name}…</translation>
    </message>
    <message>
        <source>合并后在此预览通报。</source>
        <translation>The report is previewed here after a merge.</translation>
    </message>
    <message>
        <source>{quarter} · {name}</source>
        <translation>{quarter} · {name}</translation>
    </message>
    <message>
        <source> · 对比 {quarter}</source>
        <translation> · compared with {quarter}</translation>
    </message>
    <message>
        <source> · 未与上季度比较</source>
        <translation> · not compared with the previous quarter</translation>
    </message>
    <message>
        <source> · 尚有 {n} 项冲突待裁定</source>
        <translation> · {n} conflict(s) still to settle</translation>
    </message>
    <message>
        <source>上季度文件 {name} 无法使用，通报未与上季度比较。</source>
        <translation>The previous quarter's file {name} cannot be used: the report is not compared with the previous quarter.</translation>
    </message>
    <message>
        <source>无法生成通报：{error}</source>
        <translation>Cannot build the report: {error}</translation>
    </message>
    <message>
        <source>未采用 {name} 作为上季度文件，通报预览保持不变。</source>
        <translation>{name} was not taken as the previous quarter's file; the report preview is unchanged.</translation>
    </message>
    <message>
        <source>已导出 {path}</source>
        <translation>Exported {path}</translation>
    </message>
    <message>
        <source>导出失败：{error}</source>
        <translation>Export failed: {error}</translation>
    </message>
    <message>
        <source>选择上季度的季度文件</source>
        <translation>Choose the Previous Quarter's File</translation>
    </message>
    <message>
        <source>季度文件 (*.sqlite)</source>
        <translation>Quarter files (*.sqlite)</translation>
    </message>
    <message>
        <source>所有文件 (*)</source>
        <translation>All files (*)</translation>
    </message>
</context>
<context>
    <name>TargetListPanel</name>
    <message>
        <source>新媒体</source>
        <translation>New media</translation>
    </message>
    <message>
        <source>网站</source>
        <translation>Websites</translation>
    </message>
    <message>
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <source>政务新媒体</source>
        <translation>New media</translation>
    </message>
    <message>
        <source>检查对象</source>
        <translation>Targets</translation>
    </message>
    <message>
        <source>按类型筛选</source>
        <translation>Filter by kind</translation>
    </message>
    <message>
        <source>全部地区</source>
        <translation>All regions</translation>
    </message>
    <message>
        <source>按地区筛选</source>
        <translation>Filter by region</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All states</translation>
    </message>
    <message>
        <source>按检查状态筛选</source>
        <translation>Filter by inspection state</translation>
    </message>
    <message>
        <source>搜索名称、网址、主办单位</source>
        <translation>Search name, address, owner</translation>
    </message>
    <message>
        <source>搜索名称、网址、主办单位 (Ctrl+F)</source>
        <translation>Search name, address, owner (Ctrl+F)</translation>
    </message>
    <message>
        <source>状态：{status}</source>
        <translation>Status: {status}</translation>
    </message>
    <message>
        <source>待处理的扫描提示：{count} 条</source>
        <translation>Open scan hints: {count}</translation>
    </message>
    <message>
        <source>已完成 {done} / {total}</source>
        <translation>Done {done} / {total}</translation>
    </message>
    <message>
        <source>　不合格 {n}</source>
        <translation>  unqualified {n}</translation>
    </message>
</context>
<context>
    <name>TargetStatus</name>
    <message>
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>检查中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>合格</source>
        <translation>Qualified</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Unqualified</translation>
    </message>
</context>
<context>
    <name>VerdictView</name>
    <message>
        <source>请选择检查对象</source>
        <translation>Select a target</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Unqualified</translation>
    </message>
    <message>
        <source>待完成</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>合格</source>
        <translation>Qualified</translation>
    </message>
    <message>
        <source>{points} 分</source>
        <translation>{points} points</translation>
    </message>
    <message>
        <source>暂计 {score}</source>
        <translation>so far {score}</translation>
    </message>
    <message>
        <source>还有 {n} 项未检查</source>
        <translation>{n} indicators still to check</translation>
    </message>
    <message>
        <source>…等共 {n} 条</source>
        <translation>… {n} in all</translation>
    </message>
    <message>
        <source>全部指标已检查，未发现问题</source>
        <translation>All indicators checked, no problems found</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>勾选结论</source>
        <translation>judged</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>undo</translation>
    </message>
    <message>
        <source>添加证据</source>
        <translation>evidence added</translation>
    </message>
    <message>
        <source>删除证据</source>
        <translation>evidence removed</translation>
    </message>
    <message>
        <source>采纳提示</source>
        <translation>hint adopted</translation>
    </message>
    <message>
        <source>忽略提示</source>
        <translation>hint dismissed</translation>
    </message>
    <message>
        <source>恢复提示</source>
        <translation>hint restored</translation>
    </message>
    <message>
        <source>添加检查对象</source>
        <translation>target added</translation>
    </message>
    <message>
        <source>更新检查对象</source>
        <translation>target updated</translation>
    </message>
    <message>
        <source>机器提示</source>
        <translation>machine hints</translation>
    </message>
    <message>
        <source>修改文件信息</source>
        <translation>file info changed</translation>
    </message>
    <message>
        <source>新建文件</source>
        <translation>file created</translation>
    </message>
    <message>
        <source>升级文件结构</source>
        <translation>schema migrated</translation>
    </message>
    <message>
        <source>填写账号情况</source>
        <translation>set account facts</translation>
    </message>
    <message>
        <source>添加菜单项</source>
        <translation>add menu items</translation>
    </message>
    <message>
        <source>修改菜单项</source>
        <translation>change menu item</translation>
    </message>
    <message>
        <source>删除菜单项</source>
        <translation>remove menu item</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>problem</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>n/a</translation>
    </message>
    <message>
        <source>上次打开此文件的会话（{started} 开始）没有正常结束，可能是程序崩溃、被强制关闭或断电。每一次修改都在发生时已写入文件，已提交的修改没有丢失。</source>
        <translation>The last session with this file (started {started}) did not end cleanly: the app crashed, was killed, or the power went. Every change was written to the file as it happened; nothing committed is lost.</translation>
    </message>
    <message>
        <source>最近的修改（最新的在前）：</source>
        <translation>The last changes (newest first):</translation>
    </message>
    <message>
        <source>（没有修改记录）</source>
        <translation>(no changes recorded)</translation>
    </message>
</context>
</TS>