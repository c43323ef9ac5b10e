// The batch page: polls the batch's progress and fills the table of places (text only).
(function () {
  "use strict";
  var box = document.getElementById("batch"), id = box.dataset.id;
  var body = document.querySelector("#places tbody"), progress = document.getElementById("progress");
  function cell(tr, text, cls) { var td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; }
  zjPoll("/api/batch/" + id, function (s) {
    body.replaceChildren();
    s.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      var td = cell(tr, "");
      if (r.ok) {
        var a = document.createElement("a");
        a.href = "/batch/" + id + "/open/" + encodeURIComponent(r.file);
        a.textContent = r.place;
        td.appendChild(a);
      } else td.textContent = r.place;
      cell(tr, r.status + (r.skipped ? "（已完成，跳过）" : ""), r.ok ? "" : "failed");
      cell(tr, String(r.errors)); cell(tr, String(r.warnings)); cell(tr, r.message);
      body.appendChild(tr);
    });
    progress.textContent = s.error ? "批量起草失败：" + s.error
      : (s.done ? "已完成" : "正在起草") + "：" + s.finished + "/" + (s.total || "?") + " 个地区";
  });
})();
