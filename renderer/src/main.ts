/**
 * Renderer entry. Order matters: the session bootstrap strips `#token=` before the hash router is
 * created, and the settings arrive before the first paint so the right theme/language show at once.
 */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import './plugins/element-plus';
import './styles/main.css';
import { i18n } from './plugins/i18n';
import { bootstrapSession } from './api/session';
import { sessionLost } from './api/auth';
import { createAppRouter } from './app/router';
import { useSettingsStore } from './features/settings/store';
import { startAlertNotifications } from './features/alerts/notify';
import App from './app/App.vue';

async function start(): Promise<void> {
  const pinia = createPinia();
  const app = createApp(App).use(pinia).use(i18n);

  // API failures are already on screen (a message, or the full-page "not connected" view after a
  // 401); the app still mounts so the user is never left with a blank page.
  await bootstrapSession().catch((error: unknown) => console.error('session bootstrap failed', error));
  if (!sessionLost.value) await useSettingsStore(pinia).load().catch(() => undefined);

  app.use(createAppRouter()).mount('#app');
  // Serve mode: alerts as browser notifications (the desktop app shows them natively from main).
  if (!sessionLost.value) startAlertNotifications();
}

void start();
