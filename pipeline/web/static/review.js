// The review page: the side panel for a clicked fact, and re-checking after a pause in typing.
// Record text is only ever put in with textContent, never as HTML.
(function () {
  "use strict";
  var paper = document.getElementById("paper");
  var panel = document.getElementById("panel");
  var side = document.getElementById("side");
  var status = document.getElementById("status");
  var cards = JSON.parse(document.getElementById("cards").textContent);
  var rid = paper.dataset.id;
  var timer = null, seq = 0, findings = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function readFindings() {
    findings = Array.prototype.map.call(side.querySelectorAll(".findings li[data-f]"), function (li) {
      return { severity: li.className, message: li.querySelector(".msg").textContent };
    });
  }

  function show(target) {
    panel.replaceChildren();
    var f = target.dataset.f;
    if (f !== undefined) {
      f.split(" ").forEach(function (i) {
        var x = findings[+i];
        if (x) panel.appendChild(el("p", "finding " + x.severity, x.message));
      });
    }
    var ids = (target.dataset.r || "").split(" ").filter(Boolean);
    if (!ids.length) {
      var line = target.closest(".ln");
      ids = line ? (line.dataset.src || "").split(" ").filter(Boolean) : [];
      if (ids.length) panel.appendChild(el("p", "hint", "这段文字依据的记录："));
    }
    if (!ids.length && f === undefined) panel.appendChild(el("p", "hint", "没有对应的记录"));
    ids.forEach(function (id) {
      var c = cards[id];
      var box = el("div", "record");
      box.appendChild(el("h4", "", c ? c.title : id));
      var dl = el("dl");
      (c ? c.fields : [["说明", "记录中没有这一项"]]).forEach(function (kv) {
        dl.appendChild(el("dt", "", kv[0]));
        dl.appendChild(el("dd", "", kv[1]));
      });
      box.appendChild(dl);
      panel.appendChild(box);
    });
  }

  function pick(e) {
    var t = e.target.closest ? e.target.closest(".fact, .fd, .acts li[data-r]") : null;
    if (t) {
      document.querySelectorAll(".picked").forEach(function (x) { x.classList.remove("picked"); });
      t.classList.add("picked");
      show(t);
    }
  }
  paper.addEventListener("click", pick);
  paper.addEventListener("mouseover", pick);
  side.addEventListener("click", pick);
  side.addEventListener("click", function (e) {  // a finding in the list: go to its line
    var li = e.target.closest(".findings li[data-line]");
    var line = li && paper.querySelector('.ln[data-no="' + li.dataset.line + '"]');
    if (!line) return;
    line.scrollIntoView({ block: "center" });
    var mark = line.querySelector('.fd[data-f~="' + li.dataset.f + '"]') || line;
    document.querySelectorAll(".picked").forEach(function (x) { x.classList.remove("picked"); });
    mark.classList.add("picked");
    show(mark);
  });

  function text() {
    var out = [];
    paper.childNodes.forEach(function (n) {
      if (n.nodeType === 1 && n.classList.contains("ln")) out.push((n.dataset.prefix || "") + n.textContent);
      else if (n.textContent) out.push(n.textContent);
    });
    return out.join("\n");
  }

  // The caret as (line, offset in the line's shown text), to put back after the marks change.
  function caret() {
    var s = window.getSelection();
    if (!s.rangeCount || !paper.contains(s.focusNode)) return null;
    var line = s.focusNode.nodeType === 1 && s.focusNode.classList && s.focusNode.classList.contains("ln")
      ? s.focusNode : (s.focusNode.parentElement || paper).closest(".ln");
    if (!line) return null;
    var r = document.createRange();
    r.selectNodeContents(line);
    r.setEnd(s.focusNode, s.focusOffset);
    return { line: Array.prototype.indexOf.call(paper.children, line), offset: r.toString().length };
  }

  function restore(at) {
    var line = at && paper.children[at.line];
    if (!line) return;
    var walk = document.createTreeWalker(line, NodeFilter.SHOW_TEXT), n, left = at.offset;
    while ((n = walk.nextNode())) {
      if (left <= n.length) {
        var r = document.createRange();
        r.setStart(n, left);
        r.collapse(true);
        var s = window.getSelection();
        s.removeAllRanges();
        s.addRange(r);
        return;
      }
      left -= n.length;
    }
  }

  function recheck() {
    var mine = ++seq, t0 = performance.now();
    status.textContent = "正在核对……";
    fetch("/api/review/" + rid + "/check", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text() }), credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (mine !== seq) return;  // a newer edit is on its way
      var at = caret();
      paper.innerHTML = data.lines;
      side.innerHTML = data.side;
      readFindings();
      restore(at);
      var ms = performance.now() - t0;
      status.textContent = (data.ok ? "核对通过" : "有错误") + "（服务器 " + data.check_ms + " 毫秒）";
      document.dispatchEvent(new CustomEvent("rechecked", { detail: { ms: ms, server: data.check_ms, cpu: data.check_cpu_ms } }));
    }).catch(function () { status.textContent = "核对失败：请检查与服务器的连接"; });
  }

  paper.addEventListener("input", function () {
    clearTimeout(timer);
    status.textContent = "已修改，停止输入后自动核对";
    timer = setTimeout(recheck, 400);
  });
  window.zongjieRecheck = recheck;  // for the benchmark: one round trip, no typing pause
  readFindings();
})();
