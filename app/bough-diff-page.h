/* bough-diff-page.h: BoughDiffPage, the diff of the window's branch
 * (DiffTree) with its conflicts, and the merge and rebase of the branch;
 * BoughDiffItem, one line of that tree.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-page-private.h"

G_BEGIN_DECLS

typedef enum
{
  BOUGH_DIFF_ITEM_NODE,
  BOUGH_DIFF_ITEM_ATTRIBUTE,
  BOUGH_DIFF_ITEM_RELATIONSHIP,
  BOUGH_DIFF_ITEM_PEER,
  BOUGH_DIFF_ITEM_PROPERTY,
} BoughDiffItemType;

#define BOUGH_TYPE_DIFF_ITEM (bough_diff_item_get_type ())

G_DECLARE_FINAL_TYPE (BoughDiffItem, bough_diff_item, BOUGH, DIFF_ITEM, GObject)

BoughDiffItemType  bough_diff_item_get_item_type       (BoughDiffItem *self);
const char        *bough_diff_item_get_title           (BoughDiffItem *self);
const char        *bough_diff_item_get_subtitle        (BoughDiffItem *self);
const char        *bough_diff_item_get_action          (BoughDiffItem *self);
const char        *bough_diff_item_get_old_value       (BoughDiffItem *self);
const char        *bough_diff_item_get_new_value       (BoughDiffItem *self);
const char        *bough_diff_item_get_conflict_id     (BoughDiffItem *self);
const char        *bough_diff_item_get_selected_branch (BoughDiffItem *self);
GListModel        *bough_diff_item_get_children        (BoughDiffItem *self);

#define BOUGH_TYPE_DIFF_PAGE (bough_diff_page_get_type ())

G_DECLARE_FINAL_TYPE (BoughDiffPage, bough_diff_page, BOUGH, DIFF_PAGE, BoughPage)

GtkWidget     *bough_diff_page_new               (void);
GListModel    *bough_diff_page_get_nodes         (BoughDiffPage *self);
BoughDiffItem *bough_diff_page_find              (BoughDiffPage *self,
                                                  const char    *path);
guint          bough_diff_page_get_n_conflicts   (BoughDiffPage *self,
                                                  gboolean       unresolved_only);
const char    *bough_diff_page_get_summary       (BoughDiffPage *self);
void           bough_diff_page_resolve           (BoughDiffPage *self,
                                                  const char    *conflict_id,
                                                  const char    *selected_branch);
const char    *bough_diff_page_get_task_id       (BoughDiffPage *self);
const char    *bough_diff_page_get_task_state    (BoughDiffPage *self);
const char    *bough_diff_page_get_task_message  (BoughDiffPage *self);
gboolean       bough_diff_page_get_busy          (BoughDiffPage *self);

G_END_DECLS
