/* Retour's embedding script, for a shop's own pages:
 *
 *   <iframe data-retour src="https://returns.example.com/your-shop?embed=1" title="Returns"
 *           style="width:100%;height:640px;border:0"></iframe>
 *   <script src="https://returns.example.com/embed.js" defer></script>
 *
 * It sizes each such iframe to the portal's content, and re-announces the portal's
 * messages as DOM events on the iframe: `retour:resize` (detail.height), `retour:step`
 * (detail.step) and `retour:submitted` (detail.reference). The portal sends them only to
 * the sites listed in its settings, and this script takes them only from the portal.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var portalOrigin = new URL(script.src).origin;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.origin !== portalOrigin || !data || typeof data.type !== 'string') return;
    if (data.type.indexOf('retour:') !== 0) return;
    var frames = document.querySelectorAll('iframe[data-retour]');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (data.type === 'retour:resize' && typeof data.height === 'number' && data.height > 0) {
        frame.style.height = Math.ceil(data.height) + 'px';
      }
      frame.dispatchEvent(new CustomEvent(data.type, { detail: data, bubbles: true }));
    }
  });
})();
