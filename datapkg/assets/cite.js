(function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).textContent;
      var status = document.getElementById("copy-status");
      function done() { status.textContent = "Copied " + button.dataset.copy + "."; }
      function manual() { status.textContent = "Select the text above and copy it."; }
      var area = document.createElement("textarea");
      area.value = text; document.body.appendChild(area); area.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      document.body.removeChild(area);
      button.focus();
      if (copied) { done(); }
      else if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done, manual); }
      else { manual(); }
    });
  });
})();
