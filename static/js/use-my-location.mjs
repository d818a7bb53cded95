// "Use my location" on the postcode form: the browser's position, sent to /find/nearest/,
// which finds the nearest postcode and answers as if it had been typed.
//
// Only an enhancement: the button is hidden in the HTML and shown here, so without JavaScript
// (or without geolocation) residents see just the postcode box. No request goes anywhere but
// the portal itself.

const MESSAGES = {
  1: 'You did not allow the portal to use your location. Enter your postcode instead.',
  2: 'Your location is not available at the moment. Enter your postcode instead.',
  3: 'Finding your location took too long. Try again, or enter your postcode instead.'
}

function start (container) {
  const button = container.querySelector('button')
  const status = container.querySelector('[role="status"]')
  const nearestUrl = container.dataset.nearestUrl
  if (!button || !status || !nearestUrl) return

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
  container.hidden = false
}

if ('geolocation' in navigator) {
  document.querySelectorAll('.app-use-my-location').forEach(start)
}
