// Placeholder until the widget issue lands.
document.title = "Account Admin access";
