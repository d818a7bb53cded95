// Essex Police community policing portal: start GOV.UK Frontend.
//
// GOV.UK Frontend's page template adds `govuk-frontend-supported` to <body>
// with an inline <script>, which our Content-Security-Policy forbids. Only
// browsers that support ES modules run this file, and that is exactly the test
// the inline snippet makes ('noModule' in HTMLScriptElement.prototype), so the
// class is added here instead. Module scripts run after the document has been
// parsed, so document.body exists.
//
// Source: frontend/src/portal.js, copied to static/js/ by frontend/build.sh. It is a .js file
// with semicolons so that Django rewrites the import to the hashed name in collectstatic.
import { initAll } from './govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
