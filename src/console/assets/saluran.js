// Saluran: while WhatsApp is not connected, reload every 5 seconds to show the current QR code.
setTimeout(() => window.location.reload(), 5000);
