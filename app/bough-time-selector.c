/* bough-time-selector.c: BoughTimeSelector: a menu button showing "Now" or
 * the time the window reads the data at; its popover takes a date and time
 * (local, or ISO 8601 with a zone) or a span back from now ("90m", "2h",
 * "3d"), turned into a UTC time for the `at` of every request.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "bough-time-selector.h"

struct _BoughTimeSelector
{
  AdwBin         parent_instance;

  char          *at;

  GtkMenuButton *button;
  GtkPopover    *popover;
  GtkEntry      *entry;
  GtkLabel      *hint;
  GtkCalendar   *calendar;
};

G_DEFINE_FINAL_TYPE (BoughTimeSelector, bough_time_selector, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * bough_time_parse:
 * @text: what the user typed
 *
 * Reads a time: `2026-11-26 14:30` or `2026-11-26` (local time), ISO 8601
 * with a zone (`2026-11-26T14:30:00Z`), or a span back from now: a number
 * followed by `s`, `m`, `h`, `d` or `w`.
 *
 * Returns: (transfer full) (nullable): the time in UTC as ISO 8601, or
 *   %NULL when @text is none of these
 */
char *
bough_time_parse (const char *text)
{
  g_autofree char *copy = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GTimeZone) local = NULL;
  gsize length;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  length = strlen (copy);
  if (length == 0)
    return NULL;

  if (length >= 2 && g_ascii_isdigit (copy[0]) && strchr ("smhdw", copy[length - 1]) != NULL)
    {
      char *end = NULL;
      guint64 amount = g_ascii_strtoull (copy, &end, 10);
      GTimeSpan unit = G_TIME_SPAN_SECOND;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (end == copy + length - 1 && amount <= 100 * 365 * 24 * 3600ULL)
        {
          switch (copy[length - 1])
            {
            case 'm': unit = G_TIME_SPAN_MINUTE; break;
            case 'h': unit = G_TIME_SPAN_HOUR; break;
            case 'd': unit = G_TIME_SPAN_DAY; break;
            case 'w': unit = 7 * G_TIME_SPAN_DAY; break;
            default: break;
            }
          when = g_date_time_add (now, -(GTimeSpan) amount * unit);
        }
    }
  if (when == NULL)
    {
      local = g_time_zone_new_local ();
      /* A date alone is its midnight; a space may stand for the T. */
      if (length == 10)
        {
          g_autofree char *midnight = g_strconcat (copy, "T00:00:00", NULL);

          when = g_date_time_new_from_iso8601 (midnight, local);
        }
      else
        {
          g_strdelimit (copy, " ", 'T');
          if (strlen (copy) == 16)
            {
              g_autofree char *seconds = g_strconcat (copy, ":00", NULL);

              when = g_date_time_new_from_iso8601 (seconds, local);
            }
          else
            when = g_date_time_new_from_iso8601 (copy, local);
        }
    }
  if (when == NULL)
    return NULL;
  utc = g_date_time_to_utc (when);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
update_label (BoughTimeSelector *self)
{
  if (self->at == NULL)
    {
      gtk_menu_button_set_label (self->button, _("Now"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->button),
                                   _("Showing the data as it is now (Ctrl+T)"));
    }
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (self->at, NULL);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *shown = local ? g_date_time_format (local, "%x %H:%M") : g_strdup (self->at);
      g_autofree char *tooltip = g_strdup_printf (_("Showing the data as it was at %s (Ctrl+T)"),
                                                  self->at);

      gtk_menu_button_set_label (self->button, shown);
      gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
    }
}

/**
 * bough_time_selector_apply:
 * @self: a #BoughTimeSelector
 * @text: a time as bough_time_parse() reads it, or empty for now
 *
 * Returns: whether @text was a time (and is now the selector's)
 */
gboolean
bough_time_selector_apply (BoughTimeSelector *self,
                           const char        *text)
{
  g_autofree char *at = NULL;

  g_return_val_if_fail (BOUGH_IS_TIME_SELECTOR (self), FALSE);

  if (text == NULL || text[0] == '\0' || g_ascii_strcasecmp (text, "now") == 0)
    {
      bough_time_selector_set_at (self, NULL);
      return TRUE;
    }
  at = bough_time_parse (text);
  if (at == NULL)
    return FALSE;
  bough_time_selector_set_at (self, at);
  return TRUE;
}

static void
apply_cb (BoughTimeSelector *self)
{
  if (bough_time_selector_apply (self, gtk_editable_get_text (GTK_EDITABLE (self->entry))))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
      gtk_popover_popdown (self->popover);
    }
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
}

static void
now_cb (BoughTimeSelector *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  bough_time_selector_set_at (self, NULL);
  gtk_popover_popdown (self->popover);
}

/* A day picked in the calendar goes in the entry, keeping a time already
 * typed there (else the end of that day's working hours is as good as
 * midnight: noon). */
static void
day_selected_cb (BoughTimeSelector *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
  g_autofree char *joined = NULL;
  const char *time = "12:00";

  if (strlen (text) >= 16 && text[10] == ' ')
    time = text + 11;
  joined = g_strdup_printf ("%s %s", date, time);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), joined);
  gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
}

static void
bough_time_selector_finalize (GObject *object)
{
  BoughTimeSelector *self = BOUGH_TIME_SELECTOR (object);

  g_free (self->at);

  G_OBJECT_CLASS (bough_time_selector_parent_class)->finalize (object);
}

static void
bough_time_selector_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BoughTimeSelector *self = BOUGH_TIME_SELECTOR (object);

  switch (prop_id)
    {
    case PROP_AT:
      g_value_set_string (value, self->at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_time_selector_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BoughTimeSelector *self = BOUGH_TIME_SELECTOR (object);

  switch (prop_id)
    {
    case PROP_AT:
      bough_time_selector_set_at (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_time_selector_class_init (BoughTimeSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bough_time_selector_finalize;
  object_class->get_property = bough_time_selector_get_property;
  object_class->set_property = bough_time_selector_set_property;

  properties[PROP_AT] =
    g_param_spec_string ("at", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bough_time_selector_init (BoughTimeSelector *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Show the Data as It Was At"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *now = gtk_button_new_with_mnemonic (_("_Now"));
  GtkWidget *apply = gtk_button_new_with_mnemonic (_("_Show"));

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);

  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  g_signal_connect_swapped (self->calendar, "day-selected", G_CALLBACK (day_selected_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->calendar));

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->entry, _("2026-11-26 14:30, or 2h for two hours ago"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Time"), -1);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (apply_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));

  self->hint = GTK_LABEL (gtk_label_new (_("Local time, or a span back from now: "
                                            "30m, 2h, 3d, 1w.")));
  gtk_label_set_xalign (self->hint, 0);
  gtk_label_set_wrap (self->hint, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->hint), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->hint), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->hint));

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_add_css_class (apply, "suggested-action");
  g_signal_connect_swapped (now, "clicked", G_CALLBACK (now_cb), self);
  g_signal_connect_swapped (apply, "clicked", G_CALLBACK (apply_cb), self);
  gtk_box_append (GTK_BOX (buttons), now);
  gtk_box_append (GTK_BOX (buttons), apply);
  gtk_box_append (GTK_BOX (box), buttons);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->popover), 300, -1);
  gtk_popover_set_child (self->popover, box);
  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_popover (self->button, GTK_WIDGET (self->popover));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->button));
  update_label (self);
}

/**
 * bough_time_selector_get_at:
 * @self: a #BoughTimeSelector
 *
 * Returns: (nullable): the chosen time (UTC, ISO 8601), %NULL for now
 */
const char *
bough_time_selector_get_at (BoughTimeSelector *self)
{
  g_return_val_if_fail (BOUGH_IS_TIME_SELECTOR (self), NULL);

  return self->at;
}

void
bough_time_selector_set_at (BoughTimeSelector *self,
                            const char        *at)
{
  g_return_if_fail (BOUGH_IS_TIME_SELECTOR (self));

  if (at != NULL && at[0] == '\0')
    at = NULL;
  if (g_strcmp0 (self->at, at) == 0)
    return;
  g_free (self->at);
  self->at = g_strdup (at);
  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT]);
}

void
bough_time_selector_popup (BoughTimeSelector *self)
{
  g_return_if_fail (BOUGH_IS_TIME_SELECTOR (self));

  gtk_menu_button_popup (self->button);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}
