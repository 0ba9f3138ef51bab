// Optional: a copy button beside each citation. Without JS the citation is plain, selectable text.
document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
            button.textContent = button.getAttribute("data-copied");
        });
    });
});
