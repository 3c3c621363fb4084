// Home page picker: province → city → county → year, from the small JSON index written at build.
// Runs from Material's document$ so it mounts again after instant navigation; each picker mounts once.
(function () {
  "use strict";

  function options(select, items, label) {
    select.replaceChildren();
    items.forEach(function (item, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = label(item);
      select.appendChild(option);
    });
  }

  function noticeLabel(notice) {
    return notice.year + "年度" + (notice.township ? "（" + notice.township + "）" : "");
  }

  function mountPicker(picker) {
    picker.dataset.mounted = "";
    var indexUrl = new URL(picker.dataset.index, document.baseURI);
    var select = {};
    picker.querySelectorAll("select[data-level]").forEach(function (el) {
      select[el.dataset.level] = el;
    });
    var go = picker.querySelector(".picker-go");

    fetch(indexUrl).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (index) {
      var provinces = index.provinces;
      var chosen = {};

      function showNotice() {
        chosen.notice = chosen.county.notices[Number(select.notice.value)];
        go.href = new URL("../" + chosen.notice.url, indexUrl).href; // urls are relative to the site root
        go.textContent = "看" + chosen.county.name + noticeLabel(chosen.notice) + "明白纸";
      }
      function showCounty() {
        chosen.county = chosen.city.counties[Number(select.county.value)];
        options(select.notice, chosen.county.notices, noticeLabel);
        showNotice();
      }
      function showCity() {
        chosen.city = chosen.province.cities[Number(select.city.value)];
        options(select.county, chosen.city.counties, function (county) { return county.name; });
        showCounty();
      }
      function showProvince() {
        chosen.province = provinces[Number(select.province.value)];
        options(select.city, chosen.province.cities, function (city) { return city.name; });
        showCity();
      }

      options(select.province, provinces, function (province) { return province.name; });
      select.province.addEventListener("change", showProvince);
      select.city.addEventListener("change", showCity);
      select.county.addEventListener("change", showCounty);
      select.notice.addEventListener("change", showNotice);
      if (provinces.length) {
        showProvince();
        picker.hidden = false;
      }
    }).catch(function (error) {
      console.error("picker index", error);
    });
  }

  function mountAll() {
    document.querySelectorAll(".picker[data-index]:not([data-mounted])").forEach(mountPicker);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(mountAll);
  } else {
    document.addEventListener("DOMContentLoaded", mountAll);
  }
})();
