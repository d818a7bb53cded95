// "Use my location" on the postcode form: the browser's position, sent to /find/nearest/,
// which finds the nearest postcode and answers as if it had been typed.
//
// Only an enhancement: the button is in a <template>, added to the page here, so without
// JavaScript (or without geolocation) residents see just the postcode box. No request goes
// anywhere but the portal itself.

const MESSAGES = {
  1: 'You did not allow the portal to use your location. Enter your postcode instead.',
  2: 'Your location is not available at the moment. Enter your postcode instead.',
  3: 'Finding your location took too long. Try again, or enter your postcode instead.'
}

function start (template) {
  const nearestUrl = template.dataset.nearestUrl
  const button = template.content.querySelector('button')?.cloneNode(true)
  if (!nearestUrl || !button) return

  // A live region, in the page before anything is said in it, so screen readers announce it.
  const status = document.createElement('p')
  status.className = 'govuk-body'
  status.setAttribute('role', 'status')
  template.replaceWith(button)
  button.closest('.govuk-button-group').after(status)

  button.addEventListener('click', () => {
    button.disabled = true
    status.textContent = 'Finding your location…'
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const query = new URLSearchParams({
          latitude: position.coords.latitude.toFixed(6),
          longitude: position.coords.longitude.toFixed(6)
        })
        window.location.assign(`${nearestUrl}?${query}`)
      },
      (error) => {
        button.disabled = false
        status.textContent = MESSAGES[error.code] || MESSAGES[2]
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
    )
  })
}

if ('geolocation' in navigator) {
  document.querySelectorAll('template.app-use-my-location').forEach(start)
}
