(function () {
  'use strict';
  var live = document.createElement('div');
  live.className = 'sr-only';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  document.addEventListener('DOMContentLoaded', function () { document.body.appendChild(live); });
  function announce(msg) { live.textContent = ''; setTimeout(function () { live.textContent = msg; }, 50); }
  function textOf(el) { return ('value' in el && typeof el.value === 'string') ? el.value : el.textContent || ''; }
  function fallbackCopy(el, text) {
    var ta = document.createElement('textarea');
    ta.value = text; ta.setAttribute('readonly', ''); ta.className = 'sr-only';
    document.body.appendChild(ta); ta.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    if (!ok && el.select) { el.focus(); el.select(); }
    return ok;
  }
  function init() {
    var buttons = document.querySelectorAll('button[data-copy]');
    Array.prototype.forEach.call(buttons, function (btn) {
      btn.hidden = false;
      var original = btn.textContent;
      btn.addEventListener('click', function () {
        var target = document.querySelector(btn.getAttribute('data-copy'));
        if (!target) return;
        var text = textOf(target);
        function done(ok) {
          btn.textContent = ok ? 'Copied' : 'Press Ctrl+C to copy';
          announce(ok ? 'Copied to clipboard' : 'Select the text and copy it');
          setTimeout(function () { btn.textContent = original; }, 2000);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(target, text)); });
        } else {
          done(fallbackCopy(target, text));
        }
      });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || !form.getAttribute) return;
    var message = form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
