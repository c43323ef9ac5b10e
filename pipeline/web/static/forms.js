// A submitted form shows that it is under way (an LLM draft then has its own progress page).
document.querySelectorAll("form").forEach(function (f) {
  f.addEventListener("submit", function () {
    var b = f.querySelector(".busy");
    if (b) b.hidden = false;
    f.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
  });
});
