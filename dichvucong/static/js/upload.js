// Upload progress for <form method="post" enctype="multipart/form-data" data-upload-progress>.
// Progressive enhancement: without JavaScript (or without XMLHttpRequest/FormData) the form submits
// normally. With it, the form is sent by XMLHttpRequest so a <progress> bar can show how much is sent;
// the server's answer then replaces the page exactly as a normal submit would have:
//  - after a redirect (POST → 303/302 → GET) the fetched page is shown and the address bar moves to
//    xhr.responseURL (history.pushState; Back reloads). Navigating to it again instead would lose
//    the one-time messages ("Đã lưu…") the fetched page already consumed.
//  - otherwise (the form again, with errors next to the fields) the response HTML replaces the body.
// A lost connection leaves the form as it was, chosen files included, with a message saying so.
// CSP: no inline script or style; the texts come from data-msg-* attributes rendered by Django.
(function () {
  "use strict";
  if (window.dvcUploadProgress) {
    return; // included twice on one page
  }
  window.dvcUploadProgress = true;
  if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser) {
    return;
  }

  var reloadOnHistory = false;

  function statusBox(form) {
    var box = form.querySelector("[data-upload-status]");
    if (box) {
      return box;
    }
    // The template include is missing: build the same markup (no texts, the bar speaks for itself).
    box = document.createElement("div");
    box.className = "upload-progress";
    box.setAttribute("data-upload-status", "");
    box.hidden = true;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var text = document.createElement("p");
    text.className = "upload-progress-text";
    text.setAttribute("role", "status");
    text.setAttribute("aria-live", "polite");
    box.appendChild(bar);
    box.appendChild(text);
    form.appendChild(box);
    return box;
  }

  function hasFiles(form) {
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length > 0) {
        return true;
      }
    }
    return false;
  }

  function formData(form, submitter) {
    var data;
    try {
      data = new FormData(form, submitter || undefined);
    } catch (error) {
      data = new FormData(form);
    }
    // Older browsers ignore the submitter argument: add the clicked button's name and value.
    if (submitter && submitter.name && data.has && !data.has(submitter.name)) {
      data.append(submitter.name, submitter.value || "");
    }
    return data;
  }

  // Read attributes, not form.action / form.method: an input named "action" (a common hidden field)
  // shadows those properties.
  function targetUrl(form, submitter) {
    var action = submitter && submitter.getAttribute("formaction");
    if (action === null || action === undefined) {
      action = form.getAttribute("action");
    }
    return new URL(action || window.location.href, document.baseURI).href;
  }

  function isPost(form, submitter) {
    var method = (submitter && submitter.getAttribute("formmethod")) || form.getAttribute("method") || "get";
    return method.toLowerCase() === "post";
  }

  function setBusy(form, busy) {
    var buttons = form.querySelectorAll('button, input[type="submit"]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = busy;
    }
    if (busy) {
      form.setAttribute("aria-busy", "true");
      form.setAttribute("data-uploading", "");
    } else {
      form.removeAttribute("aria-busy");
      form.removeAttribute("data-uploading");
    }
  }

  function say(box, key, percent) {
    var text = box.querySelector("[role='status']");
    var message = box.getAttribute("data-msg-" + key) || "";
    if (text) {
      text.textContent = message.replace("{percent}", percent === undefined ? "" : percent + "%");
    }
  }

  function showPage(html, url) {
    var page = new DOMParser().parseFromString(html, "text/html");
    if (url && url !== window.location.href && window.history && window.history.pushState) {
      window.history.pushState(null, "", url);
      reloadOnHistory = true;
    }
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    if (window.htmx && window.htmx.process) {
      window.htmx.process(document.body);
    }
    var target =
      document.querySelector(".field-error input, .field-error select, .field-error textarea") ||
      document.getElementById("main");
    if (target) {
      target.focus();
      target.scrollIntoView({ block: "start" });
    }
  }

  function send(form, submitter) {
    var box = statusBox(form);
    var bar = box.querySelector("progress");
    var action = targetUrl(form, submitter);
    var data = formData(form, submitter); // before the buttons are disabled: a disabled one is left out
    var xhr = new XMLHttpRequest();

    function failed() {
      setBusy(form, false);
      if (bar) {
        bar.value = 0;
      }
      say(box, "failed");
    }

    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable && bar) {
        var percent = Math.floor((event.loaded * 100) / event.total);
        bar.value = percent;
        say(box, "progress", percent);
      }
    });
    xhr.upload.addEventListener("load", function () {
      if (bar) {
        bar.removeAttribute("value"); // indeterminate while the server checks the files
      }
      say(box, "processing");
    });
    xhr.addEventListener("load", function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (type.indexOf("text/html") !== 0) {
        failed();
        return;
      }
      showPage(xhr.responseText, xhr.responseURL);
    });
    xhr.addEventListener("error", failed);
    xhr.addEventListener("abort", failed);
    xhr.addEventListener("timeout", failed);

    setBusy(form, true);
    box.hidden = false;
    if (bar) {
      bar.value = 0;
    }
    say(box, "progress", 0);
    xhr.open("POST", action);
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload-progress")) {
      return;
    }
    if (event.defaultPrevented || !isPost(form, event.submitter) || !hasFiles(form)) {
      return; // nothing to upload: an ordinary submit
    }
    event.preventDefault();
    if (!form.hasAttribute("data-uploading")) {
      send(form, event.submitter);
    }
  });

  window.addEventListener("popstate", function () {
    if (reloadOnHistory) {
      window.location.reload();
    }
  });
})();
